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
