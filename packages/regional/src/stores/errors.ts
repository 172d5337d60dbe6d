import { defineError } from '@keel/kernel';

export class StoreNotFoundError extends defineError({
  code: 'STORE_NOT_FOUND',
  status: 404,
  description: 'No store with this id in the tenant.',
}) {}

export class StoreNameTakenError extends defineError({
  code: 'STORE_NAME_TAKEN',
  status: 409,
  description: 'Another store of the tenant already has this name (names compare case-insensitively).',
}) {}

export class StoreHasOrdersError extends defineError({
  code: 'STORE_HAS_ORDERS',
  status: 409,
  description: 'A store with orders cannot be deleted: its orders keep their store (rename it instead).',
}) {}
