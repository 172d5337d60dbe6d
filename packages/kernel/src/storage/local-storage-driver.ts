import { createWriteStream, type BigIntStats } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Clock } from '../clock/clock.ts';
import { StoredObjectNotFoundError, UploadChangedError, UploadTooLargeError, UploadTypeNotAllowedError } from './errors.ts';
import { signUploadGrant, verifyUploadGrant } from './signed-upload-token.ts';
import { assertStorageKey, type StoragePort, type StoredObject, type UploadCommit } from './storage-port.ts';

export interface LocalStorageOptions {
  directory: string;
  signingSecret: string;
  uploadTtlMs: number;
  clock: Clock;
}

/**
 * Files in a directory: `<key>` holds the bytes, `<key>.meta.json` the content type. A file is
 * written under a temporary name and renamed into place only once whole (and, for an upload, once
 * its `commit` agrees), so a reader never sees half an upload nor one that was refused.
 */
export function createLocalStorage(options: LocalStorageOptions): StoragePort {
  const { directory, signingSecret, clock } = options;
  const pathOf = (key: string) => {
    assertStorageKey(key);
    return join(directory, key);
  };

  async function store(key: string, contentType: string, write: (temporary: string) => Promise<void>, commit: UploadCommit = (place) => place()): Promise<void> {
    const path = pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.partial`;
    try {
      await write(temporary);
      await commit(async () => {
        await writeFile(`${path}.meta.json`, JSON.stringify({ contentType }));
        await rename(temporary, path);
      });
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  return {
    driver: 'local',
    async createUploadTarget({ key, contentType, maxBytes, receiveUrl }) {
      assertStorageKey(key);
      const expiresAt = clock.now().getTime() + options.uploadTtlMs;
      const token = signUploadGrant({ key, contentType, maxBytes, expiresAt }, signingSecret);
      const separator = receiveUrl.includes('?') ? '&' : '?';
      return { method: 'PUT', url: `${receiveUrl}${separator}token=${token}`, fields: {}, headers: { 'content-type': contentType }, expiresAt: new Date(expiresAt) };
    },
    verifyUploadToken(token) {
      return { key: verifyUploadGrant(token, signingSecret, clock).key };
    },
    async receiveUpload(token, upload, commit) {
      const grant = verifyUploadGrant(token, signingSecret, clock);
      if (mediaType(upload.contentType) !== grant.contentType) throw new UploadTypeNotAllowedError();
      if (upload.contentLength !== undefined && upload.contentLength > grant.maxBytes) throw new UploadTooLargeError();
      let size = 0;
      const write = async (temporary: string) => {
        const file = createWriteStream(temporary);
        try {
          // Reading stops at the first byte past the limit; the rest is left unread (the caller closes the connection).
          for await (const chunk of upload.body.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > grant.maxBytes) throw new UploadTooLargeError();
            if (!file.write(chunk)) await once(file, 'drain');
          }
        } finally {
          file.end();
          await finished(file);
        }
      };
      await store(grant.key, grant.contentType, write, commit);
      return { key: grant.key, size };
    },
    async read(key, readOptions) {
      const path = pathOf(key);
      let file: FileHandle;
      try {
        file = await open(path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StoredObjectNotFoundError({ cause: error });
        throw error;
      }
      // The open file is the one checked: a rename into place after this cannot swap it.
      if (readOptions?.ifMatch !== undefined && etagOf(await file.stat({ bigint: true })) !== readOptions.ifMatch) {
        await file.close();
        throw new UploadChangedError();
      }
      return file.createReadStream({ start: readOptions?.start ?? 0 });
    },
    async stat(key): Promise<StoredObject | undefined> {
      const path = pathOf(key);
      try {
        const [file, meta] = await Promise.all([stat(path, { bigint: true }), readFile(`${path}.meta.json`, 'utf8')]);
        return { size: Number(file.size), contentType: (JSON.parse(meta) as { contentType: string }).contentType, etag: etagOf(file) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async put(key, body, contentType) {
      await store(key, contentType, (temporary) => writeFile(temporary, body));
    },
    async delete(key) {
      const path = pathOf(key);
      await Promise.all([rm(path, { force: true }), rm(`${path}.meta.json`, { force: true })]);
    },
  };
}

/** `text/csv; charset=utf-8` → `text/csv`. */
export function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** Every upload or put is a new file renamed into place: a new inode, or at least another mtime. */
function etagOf(file: BigIntStats): string {
  return `${file.ino}-${file.size}-${file.mtimeNs}`;
}
