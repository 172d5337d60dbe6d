import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFauxqs, fauxqsCredentials, fauxqsRegion, type Fauxqs } from '../../../../test/support/fauxqs.ts';
import { ManualClock } from '../clock/clock.ts';
import { createLocalStorage } from './local-storage-driver.ts';
import { createS3Storage } from './s3-storage-driver.ts';
import type { StoragePort } from './storage-port.ts';

const clock = new ManualClock(new Date());
let directory: string;
let fauxqs: Fauxqs;
let s3Client: S3Client;
const drivers: Record<'local' | 's3', StoragePort> = {} as Record<'local' | 's3', StoragePort>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'keel-storage-'));
  drivers.local = createLocalStorage({ directory, signingSecret: 'a-test-secret-of-at-least-32-characters', uploadTtlMs: 60_000, clock });
  fauxqs = await startFauxqs();
  s3Client = new S3Client({ endpoint: fauxqs.endpoint, region: fauxqsRegion, credentials: fauxqsCredentials, forcePathStyle: true });
  await s3Client.send(new CreateBucketCommand({ Bucket: 'keel-test' }));
  drivers.s3 = createS3Storage({ client: s3Client, bucket: 'keel-test', uploadTtlMs: 60_000, clock });
});

afterAll(async () => {
  s3Client?.destroy();
  await fauxqs?.stop();
  await rm(directory, { recursive: true, force: true });
});

describe.each(['local', 's3'] as const)('UPL-001 the %s storage driver', (name) => {
  const key = (suffix: string) => `tenants/t1/tests/${name}-${suffix}`;

  it('UPL-001 puts, stats, reads and deletes an object', async () => {
    const storage = drivers[name];
    await storage.put(key('a'), Buffer.from('sku,name\n'), 'text/csv');
    expect(await storage.stat(key('a'))).toEqual({ size: 9, contentType: 'text/csv', etag: expect.any(String) });
    expect(await text(await storage.read(key('a')))).toBe('sku,name\n');
    expect(await text(await storage.read(key('a'), { start: 4 }))).toBe('name\n');
    await storage.delete(key('a'));
    expect(await storage.stat(key('a'))).toBeUndefined();
    await storage.delete(key('a'));
  });

  it('UPL-001 reading a missing object fails with STORED_OBJECT_NOT_FOUND; stat says undefined', async () => {
    const storage = drivers[name];
    expect(await storage.stat(key('missing'))).toBeUndefined();
    await expect(storage.read(key('missing'))).rejects.toMatchObject({ code: 'STORED_OBJECT_NOT_FOUND' });
  });

  it('UPL-025 an object has an etag that another object stored under its key changes; a read naming an old etag fails with UPLOAD_CHANGED', async () => {
    const storage = drivers[name];
    await storage.put(key('e'), Buffer.from('sku,name\nA,Apple\n'), 'text/csv');
    const first = (await storage.stat(key('e')))!.etag;
    expect(await text(await storage.read(key('e'), { start: 9, ifMatch: first }))).toBe('A,Apple\n');
    await storage.put(key('e'), Buffer.from('sku,name\nB,Banana\n'), 'text/csv');
    expect((await storage.stat(key('e')))!.etag).not.toBe(first);
    await expect(storage.read(key('e'), { start: 9, ifMatch: first })).rejects.toMatchObject({ code: 'UPLOAD_CHANGED' });
  });

  it('UPL-001 refuses keys that leave their folder', async () => {
    await expect(drivers[name].put('tenants/../../etc/passwd', Buffer.from(''), 'text/plain')).rejects.toThrow(/Invalid storage key/);
  });
});

describe('UPL-002 S3: browsers upload with a presigned POST whose policy limits size and type', () => {
  it('UPL-002 the policy holds content-length-range and the content type; a POST of the form stores the file', async () => {
    const target = await drivers.s3.createUploadTarget({ key: 'tenants/t1/uploads/u1', contentType: 'text/csv', maxBytes: 1024, receiveUrl: '/unused' });
    expect(target.method).toBe('POST');
    const policy = JSON.parse(Buffer.from(target.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[]; expiration: string };
    expect(policy.conditions).toContainEqual(['content-length-range', 0, 1024]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'text/csv']);
    expect(policy.conditions).toContainEqual({ key: 'tenants/t1/uploads/u1' });
    expect(target.fields['Content-Type']).toBe('text/csv');

    const form = new FormData();
    for (const [field, value] of Object.entries(target.fields)) form.append(field, value);
    form.append('file', new Blob(['sku,name\nA,Apple\n'], { type: 'text/csv' }), 'products.csv');
    const response = await fetch(target.url, { method: 'POST', body: form });
    expect(response.status).toBe(204);
    expect(await drivers.s3.stat('tenants/t1/uploads/u1')).toMatchObject({ size: 17, contentType: 'text/csv' });
  });

  it('UPL-002 the S3 driver receives nothing itself', async () => {
    await expect(drivers.s3.receiveUpload('anything', { contentType: 'text/csv', body: Readable.from([]) })).rejects.toMatchObject({ code: 'UPLOAD_URL_INVALID' });
  });
});

describe('UPL-003 local: a short-lived HMAC-signed URL served by Keel', () => {
  const upload = (token: string, body: string, contentType = 'text/csv') => drivers.local.receiveUpload(token, { contentType, body: Readable.from([Buffer.from(body)]) });
  const tokenOf = (url: string) => new URL(url, 'http://keel').searchParams.get('token')!;
  const target = (key: string, maxBytes = 64) => drivers.local.createUploadTarget({ key, contentType: 'text/csv', maxBytes, receiveUrl: '/api/v1/uploads/u/content' });

  it('UPL-003 a PUT to the signed URL stores the body under the signed key', async () => {
    const issued = await target('tenants/t1/uploads/ok');
    expect(issued).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/csv' } });
    expect(issued.url).toMatch(/^\/api\/v1\/uploads\/u\/content\?token=/);
    expect(await upload(tokenOf(issued.url), 'sku\nA\n', 'text/csv; charset=utf-8')).toEqual({ key: 'tenants/t1/uploads/ok', size: 6 });
    expect(await drivers.local.stat('tenants/t1/uploads/ok')).toMatchObject({ size: 6, contentType: 'text/csv' });
  });

  it('UPL-003 an expired URL is refused with UPLOAD_URL_EXPIRED and stores nothing', async () => {
    const issued = await target('tenants/t1/uploads/late');
    clock.advance(60_000);
    await expect(upload(tokenOf(issued.url), 'sku\n')).rejects.toMatchObject({ code: 'UPLOAD_URL_EXPIRED' });
    expect(await drivers.local.stat('tenants/t1/uploads/late')).toBeUndefined();
  });

  it('UPL-003 a tampered URL (another key, a larger limit, or a changed signature) is refused with UPLOAD_URL_INVALID', async () => {
    const token = tokenOf((await target('tenants/t1/uploads/mine')).url);
    const [payload, signature] = token.split('.') as [string, string];
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forge = (changes: Record<string, unknown>) => `${Buffer.from(JSON.stringify({ ...grant, ...changes })).toString('base64url')}.${signature}`;
    await expect(upload(forge({ k: 'tenants/t2/uploads/theirs' }), 'sku\n')).rejects.toMatchObject({ code: 'UPLOAD_URL_INVALID' });
    await expect(upload(forge({ m: 1_000_000 }), 'sku\n')).rejects.toMatchObject({ code: 'UPLOAD_URL_INVALID' });
    await expect(upload(`${payload}.${signature.slice(0, -2)}AA`, 'sku\n')).rejects.toMatchObject({ code: 'UPLOAD_URL_INVALID' });
    await expect(upload('not-a-token', 'sku\n')).rejects.toMatchObject({ code: 'UPLOAD_URL_INVALID' });
    expect(await drivers.local.stat('tenants/t2/uploads/theirs')).toBeUndefined();
  });

  it('UPL-003 another content type is refused with UPLOAD_TYPE_NOT_ALLOWED; a body over the limit with UPLOAD_TOO_LARGE, storing nothing', async () => {
    const typed = await target('tenants/t1/uploads/typed');
    await expect(upload(tokenOf(typed.url), 'sku\n', 'application/pdf')).rejects.toMatchObject({ code: 'UPLOAD_TYPE_NOT_ALLOWED' });
    const small = await target('tenants/t1/uploads/big', 8);
    await expect(upload(tokenOf(small.url), 'sku,name\nA,Apple\n')).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    expect(await drivers.local.stat('tenants/t1/uploads/big')).toBeUndefined();
  });

  it('UPL-026 reading stops at the first chunk past the limit: the rest of an endless body is never read', async () => {
    const issued = await target('tenants/t1/uploads/endless', 1_048_576);
    let pulled = 0;
    const endless = Readable.from(
      (function* () {
        for (;;) {
          pulled++;
          yield Buffer.alloc(65_536, 'a');
        }
      })(),
    );
    await expect(drivers.local.receiveUpload(tokenOf(issued.url), { contentType: 'text/csv', body: endless })).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    // 16 chunks fit, the 17th is past the limit; the stream's read-ahead may pull a few more.
    expect(pulled).toBeLessThan(40);
    expect(await drivers.local.stat('tenants/t1/uploads/endless')).toBeUndefined();
  });

  it('UPL-024 a whole body is stored only when its commit says so: refused, it is discarded and the stored file stays', async () => {
    const key = 'tenants/t1/uploads/committed';
    await drivers.local.put(key, Buffer.from('sku\nfirst\n'), 'text/csv');
    const before = await drivers.local.stat(key);
    const refuse = async () => {
      // The body is whole, but not in place yet: the stored file is still the first.
      expect(await text(await drivers.local.read(key))).toBe('sku\nfirst\n');
      throw new Error('no longer awaited');
    };
    await expect(drivers.local.receiveUpload(tokenOf((await target(key)).url), { contentType: 'text/csv', body: Readable.from([Buffer.from('sku\nsecond\n')]) }, refuse)).rejects.toThrow('no longer awaited');
    expect(await drivers.local.stat(key)).toEqual(before);
    expect(await text(await drivers.local.read(key))).toBe('sku\nfirst\n');

    let placed = false;
    const accept = async (store: () => Promise<void>) => {
      await store();
      placed = true;
    };
    await drivers.local.receiveUpload(tokenOf((await target(key)).url), { contentType: 'text/csv', body: Readable.from([Buffer.from('sku\nthird\n')]) }, accept);
    expect(placed).toBe(true);
    expect(await text(await drivers.local.read(key))).toBe('sku\nthird\n');
  });
});
