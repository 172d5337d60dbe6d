import { randomBytes } from 'node:crypto';
import { createS3Client } from '../aws/aws-clients.ts';
import type { Clock } from '../clock/clock.ts';
import { createLocalStorage } from './local-storage-driver.ts';
import { createS3Storage } from './s3-storage-driver.ts';
import type { StorageConfig, StoragePort } from './storage-port.ts';

/** The driver STORAGE_DRIVER names, from the configuration. */
export function createStorage(config: StorageConfig, clock: Clock): StoragePort {
  if (config.driver === 's3') {
    const client = createS3Client({ endpoint: config.s3.endpoint, region: config.s3.region });
    return createS3Storage({ client, bucket: config.s3.bucket!, uploadTtlMs: config.uploadTtlMs, clock });
  }
  const signingSecret = config.signingSecret ?? randomBytes(32).toString('base64url');
  return createLocalStorage({ directory: config.directory, signingSecret, uploadTtlMs: config.uploadTtlMs, clock });
}
