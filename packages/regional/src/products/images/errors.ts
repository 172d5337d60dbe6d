import { defineError } from '@keel/kernel';

export class ProductImageNotFoundError extends defineError({
  code: 'PRODUCT_IMAGE_NOT_FOUND',
  status: 404,
  description: 'The product has no image (or none ready to show), or there is no such product in the tenant.',
}) {}

export class ProductImageNotUploadedError extends defineError({
  code: 'PRODUCT_IMAGE_NOT_UPLOADED',
  status: 409,
  description: 'The image was marked uploaded, but storage holds no file for it: upload the file first.',
}) {}

export class ProductImageNotAwaitingUploadError extends defineError({
  code: 'PRODUCT_IMAGE_NOT_AWAITING_UPLOAD',
  status: 409,
  description: 'The image already has its file (it is processing, ready or failed): ask for a new upload to replace it.',
}) {}

export class ProductImageInvalidError extends defineError({
  code: 'PRODUCT_IMAGE_INVALID',
  status: 422,
  description: 'The uploaded file is not a readable JPEG, PNG or WebP image within 50 megapixels; the product image is marked failed with this code.',
}) {}
