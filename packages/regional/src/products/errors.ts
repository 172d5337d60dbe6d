import { defineError } from '@keel/kernel';

export class ProductNotFoundError extends defineError({
  code: 'PRODUCT_NOT_FOUND',
  status: 404,
  description: 'No product with this id in the tenant.',
}) {}

export class ProductSkuTakenError extends defineError({
  code: 'PRODUCT_SKU_TAKEN',
  status: 409,
  description: 'Another product of the tenant already has this SKU (SKUs compare case-insensitively).',
}) {}

export class ProductInUseError extends defineError({
  code: 'PRODUCT_IN_USE',
  status: 409,
  description: 'The product is on an order line, so it cannot be deleted; deactivate it instead (`active: false`).',
}) {}
