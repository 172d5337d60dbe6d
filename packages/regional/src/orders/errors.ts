import { defineError } from '@keel/kernel';

export class OrderNotFoundError extends defineError({
  code: 'ORDER_NOT_FOUND',
  status: 404,
  description: 'No order with this id in the tenant.',
}) {}

export class OrderNotCancellableError extends defineError({
  code: 'ORDER_NOT_CANCELLABLE',
  status: 409,
  description: 'Only a PENDING, CONFIRMED or PACKED order can be cancelled; a SHIPPED or DELIVERED one goes through the return flow.',
}) {}

export class OrderInvalidTransitionError extends defineError({
  code: 'ORDER_INVALID_TRANSITION',
  status: 409,
  description: "The order's status cannot move to the requested one (see the status machine in specs/orders.md).",
}) {}

export class OrderProductNotFoundError extends defineError({
  code: 'ORDER_PRODUCT_NOT_FOUND',
  status: 404,
  description: "A line names a product the tenant does not have (unknown, or another tenant's); `details` names each such `body.lines.N.productId`.",
}) {}

export class OrderProductInactiveError extends defineError({
  code: 'ORDER_PRODUCT_INACTIVE',
  status: 422,
  description: 'A line names a product that is not active (not for sale); `details` names each such `body.lines.N.productId`.',
}) {}

export class OrderDiscountExceedsSubtotalError extends defineError({
  code: 'ORDER_DISCOUNT_EXCEEDS_SUBTOTAL',
  status: 422,
  description: "The discount is larger than the order's subtotal (the sum of its lines at the products' current prices).",
}) {}

export class OrderAmountTooLargeError extends defineError({
  code: 'ORDER_AMOUNT_TOO_LARGE',
  status: 422,
  description: "The order's subtotal would exceed 100,000,000,000 minor units of the tenant's currency.",
}) {}

export class IdempotencyKeyReusedError extends defineError({
  code: 'IDEMPOTENCY_KEY_REUSED',
  status: 409,
  description: 'This `Idempotency-Key` was already used by the tenant for a request with another body; use a new key for a new order.',
}) {}
