import type { Readable } from 'node:stream';

/**
 * Object storage: where uploaded and derived files live. Two drivers behind this port, chosen by
 * STORAGE_DRIVER: `local` (a directory under KEEL_DATA_DIR; browsers upload to a short-lived
 * HMAC-signed URL served by Keel) and `s3` (a bucket; browsers upload with a presigned POST whose
 * policy limits size and content type).
 *
 * How to use it (a regional context):
 *   1. Choose a key under the tenant: `tenants/<tenantId>/<context>/<id>`.
 *   2. `createUploadTarget({ key, contentType, maxBytes, receiveUrl })` → give the target to the
 *      browser; it sends `method` to `url`: POST as multipart/form-data with `fields` first and the
 *      file last as `file`; PUT with the raw file as body and `headers`. `receiveUrl` is the Keel
 *      route that receives local uploads (it calls `receiveUpload` with the `token` query value);
 *      the S3 driver ignores it.
 *   3. When the browser says it is done, `stat(key)` (undefined: nothing uploaded) and re-check
 *      size and type: a client can lie about what it sent, the stored object cannot.
 *   4. `read(key)` streams it; `put(key, bytes, type)` stores derived files (thumbnails);
 *      `delete(key)` removes one (no error when it is already gone).
 */
export interface StoragePort {
  readonly driver: 'local' | 's3';
  createUploadTarget(request: UploadTargetRequest): Promise<UploadTarget>;
  /**
   * Local driver: stores the body sent to a signed URL after checking signature, expiry, type and
   * size (UPLOAD_URL_INVALID, UPLOAD_URL_EXPIRED, UPLOAD_TYPE_NOT_ALLOWED, UPLOAD_TOO_LARGE).
   * S3 driver: always UPLOAD_URL_INVALID (browsers upload to the bucket).
   */
  receiveUpload(
    token: string,
    upload: { contentType: string | undefined; contentLength?: number | undefined; body: Readable },
    commit?: UploadCommit,
  ): Promise<{ key: string; size: number }>;
  /** The key a signed upload token is for, once signature and expiry are checked (without receiving anything). */
  verifyUploadToken(token: string): { key: string };
  /**
   * The object's bytes from `start` (default 0) to the end; STORED_OBJECT_NOT_FOUND when missing;
   * with `ifMatch`, UPLOAD_CHANGED unless the object is still the one whose `etag` that was.
   */
  read(key: string, options?: { start?: number; ifMatch?: string }): Promise<Readable>;
  stat(key: string): Promise<StoredObject | undefined>;
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface UploadTargetRequest {
  key: string;
  contentType: string;
  maxBytes: number;
  /** Local driver only: the path (or URL) of the Keel route that receives the upload. */
  receiveUrl: string;
}

export interface UploadTarget {
  method: 'POST' | 'PUT';
  url: string;
  /** POST: form fields to send before the file (field `file`). */
  fields: Record<string, string>;
  /** PUT: headers to send with the body. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface StoredObject {
  size: number;
  contentType: string;
  /** Which object this is: another one stored under the key has another (S3: its ETag; local: inode, size and mtime). */
  etag: string;
}

/**
 * Decides, once a local upload's whole body is received and checked (held aside, not yet under its
 * key), whether it is stored: it calls `store()` to put it in place — typically in a transaction
 * that re-checks, under a row lock, that the upload is still awaited — or throws, and the body is
 * discarded. Default: `(store) => store()`.
 */
export type UploadCommit = (store: () => Promise<void>) => Promise<void>;

export interface StorageConfig {
  driver: 'local' | 's3';
  /** Local driver: the directory files live in. */
  directory: string;
  /** Local driver: signs upload URLs; made up per start when undefined (URLs then die with the process). */
  signingSecret: string | undefined;
  /** How long an upload target stays valid. */
  uploadTtlMs: number;
  s3: { bucket: string | undefined; endpoint: string | undefined; region: string };
}

/** Keys are path-like (`tenants/<id>/imports/<id>`): letters, digits, `-_.` and `/`, no `..` segment. */
export function assertStorageKey(key: string): void {
  if (!/^[\w][\w.\-/]{0,500}$/.test(key) || key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new Error(`Invalid storage key: ${JSON.stringify(key)}`);
  }
}
