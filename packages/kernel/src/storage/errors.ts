import { defineError } from '../errors/app-error.ts';

export class UploadTooLargeError extends defineError({
  code: 'UPLOAD_TOO_LARGE',
  status: 413,
  description: 'The uploaded file is larger than its kind allows (checked when uploading and again on the stored file).',
}) {}

export class UploadTypeNotAllowedError extends defineError({
  code: 'UPLOAD_TYPE_NOT_ALLOWED',
  status: 415,
  description: 'The uploaded file has a content type its kind does not accept, or not the one the upload was asked for.',
}) {}

export class UploadUrlInvalidError extends defineError({
  code: 'UPLOAD_URL_INVALID',
  status: 403,
  description: 'The signed upload URL was altered, or was not issued by this region.',
}) {}

export class UploadUrlExpiredError extends defineError({
  code: 'UPLOAD_URL_EXPIRED',
  status: 403,
  description: 'The signed upload URL is past its expiry; ask for a new upload.',
}) {}

export class StoredObjectNotFoundError extends defineError({
  code: 'STORED_OBJECT_NOT_FOUND',
  status: 404,
  description: 'No stored file has this key (it was never uploaded, or was deleted).',
}) {}

export class UploadChangedError extends defineError({
  code: 'UPLOAD_CHANGED',
  status: 409,
  description: 'The uploaded file was replaced after it was marked uploaded (its upload URL was used again); the import or image fails with this code: ask for a new upload.',
}) {}
