import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { Clock } from '../clock/clock.ts';
import { StoredObjectNotFoundError, UploadChangedError, UploadUrlInvalidError } from './errors.ts';
import { assertStorageKey, type StoragePort } from './storage-port.ts';

export interface S3StorageOptions {
  client: S3Client;
  bucket: string;
  uploadTtlMs: number;
  clock: Clock;
}

/**
 * A bucket. Browsers upload straight to it with a presigned POST: its policy (signed by the
 * region's credentials) holds the key, the content type and `content-length-range`, so S3 itself
 * refuses a bigger file or another type.
 */
export function createS3Storage(options: S3StorageOptions): StoragePort {
  const { client, bucket, clock } = options;
  return {
    driver: 's3',
    async createUploadTarget({ key, contentType, maxBytes }) {
      assertStorageKey(key);
      const expiresInSeconds = Math.max(1, Math.floor(options.uploadTtlMs / 1000));
      const post = await createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        Conditions: [
          ['content-length-range', 0, maxBytes],
          ['eq', '$Content-Type', contentType],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: expiresInSeconds,
      });
      return { method: 'POST', url: post.url, fields: post.fields, headers: {}, expiresAt: new Date(clock.now().getTime() + expiresInSeconds * 1000) };
    },
    verifyUploadToken() {
      throw new UploadUrlInvalidError();
    },
    async receiveUpload() {
      throw new UploadUrlInvalidError();
    },
    async read(key, readOptions) {
      assertStorageKey(key);
      const start = readOptions?.start ?? 0;
      try {
        const range = start > 0 ? { Range: `bytes=${start}-` } : {};
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...range, ...(readOptions?.ifMatch ? { IfMatch: readOptions.ifMatch } : {}) }));
        return object.Body as Readable;
      } catch (error) {
        if (error instanceof NoSuchKey) throw new StoredObjectNotFoundError({ cause: error });
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) throw new UploadChangedError({ cause: error });
        throw error;
      }
    },
    async stat(key) {
      assertStorageKey(key);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream', etag: head.ETag ?? '' };
      } catch (error) {
        if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
    async put(key, body, contentType) {
      assertStorageKey(key);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async delete(key) {
      assertStorageKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
