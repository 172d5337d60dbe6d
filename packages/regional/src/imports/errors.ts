import { defineError } from '@keel/kernel';

export class ImportNotFoundError extends defineError({
  code: 'IMPORT_NOT_FOUND',
  status: 404,
  description: 'No import with this id in the tenant.',
}) {}

export class ImportFileMissingError extends defineError({
  code: 'IMPORT_FILE_MISSING',
  status: 409,
  description: 'The import was marked uploaded, but storage holds no file for it: upload the file first.',
}) {}

export class ImportNotAwaitingUploadError extends defineError({
  code: 'IMPORT_NOT_AWAITING_UPLOAD',
  status: 409,
  description: 'The import already has its file (it is queued, processing or finished): ask for a new import to upload another.',
}) {}

export class ImportHeaderInvalidError extends defineError({
  code: 'IMPORT_HEADER_INVALID',
  status: 422,
  description: 'The first row of the CSV does not name the columns of its kind (a required column is missing, or one is unknown or repeated).',
}) {}

export class ImportCsvMalformedError extends defineError({
  code: 'IMPORT_CSV_MALFORMED',
  status: 422,
  description: 'The file is not readable as CSV (an unclosed quote, invalid UTF-8, or it is empty).',
}) {}

export class ImportRowMalformedError extends defineError({
  code: 'IMPORT_ROW_MALFORMED',
  status: 422,
  description: 'A row of the CSV has more or fewer cells than the header.',
}) {}
