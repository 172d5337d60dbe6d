import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, type StoragePort } from '@keel/kernel';
import { startTestKeel, type TestKeel } from '../../../../../test/support/keel.ts';
import { waitUntil } from '../../../../../test/support/queue-driver-contract.ts';
import { asTenant } from '../../../../../test/support/tenant-sql.ts';
import type { ProductDto } from '../schemas.ts';
import { imageFiles } from './image-files.ts';
import { generatedImage, imageDriver } from './test/image-driver.ts';

/**
 * Product images through the composed app (specs/catalog.md, CAT-040…), on the local storage
 * driver: real images made by sharp, the real queue and thumbnail worker, files in a temporary
 * directory that the test also opens to see what storage holds.
 */

const MAX_BYTES = 200_000;
let keel: TestKeel;
let images: ReturnType<typeof imageDriver>;
let owner: pg.Client;
let storage: StoragePort;
let png: Buffer;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'keel-product-images-'));
  keel = await startTestKeel({ STORAGE_DIR: directory, PRODUCT_IMAGE_MAX_BYTES: String(MAX_BYTES), OUTBOX_POLL_INTERVAL_MS: '50' });
  images = imageDriver(keel);
  storage = createLocalStorage({ directory, signingSecret: 'not the region secret, only for reading and writing files', uploadTtlMs: 60_000, clock: keel.clock });
  owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
  png = await generatedImage('png');
});

afterAll(async () => {
  await owner?.end();
  await keel?.stop();
});

function sqlAs<Row extends Record<string, unknown>>(tenantId: string, text: string, params: unknown[] = []): Promise<Row[]> {
  return asTenant(owner, tenantId, async (client) => (await client.query<Row>(text, params)).rows, 'commit');
}

async function tenantWithProduct(): Promise<{ tenant: string; product: ProductDto }> {
  const tenant = await images.newTenant();
  return { tenant, product: await images.newProduct(tenant) };
}

function expectError(response: { statusCode: number; json: <T>() => T }, status: number, code: string): void {
  expect({ status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ status, code });
}

describe('CAT-040 asking to upload a product image', () => {
  it('CAT-040 an admin gets the image awaiting its file and a PUT target limited to its type and PRODUCT_IMAGE_MAX_BYTES', async () => {
    const { tenant, product } = await tenantWithProduct();
    const { image, upload } = await images.requested(tenant, product.id, png);
    expect(image).toMatchObject({ state: 'awaiting_upload', thumbnailUrl: null, width: null, height: null, failureCode: null, version: 1 });
    expect(upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/png' }, maxBytes: MAX_BYTES });
    expect(upload.url).toMatch(new RegExp(`^/api/v1/products/${product.id}/image/file\\?token=`));
    expect((await images.product(tenant, product.id)).image).toEqual(image);
  });

  it.each([
    { what: 'a declared size over PRODUCT_IMAGE_MAX_BYTES', body: { size: MAX_BYTES + 1 }, status: 413, code: 'UPLOAD_TOO_LARGE' },
    { what: 'a GIF', body: { size: 10, contentType: 'image/gif' }, status: 415, code: 'UPLOAD_TYPE_NOT_ALLOWED' },
    { what: 'an SVG', body: { size: 10, contentType: 'image/svg+xml' }, status: 415, code: 'UPLOAD_TYPE_NOT_ALLOWED' },
  ])('CAT-040 $what is refused with $code and records nothing', async ({ body, status, code }) => {
    const { tenant, product } = await tenantWithProduct();
    expectError(await images.request(tenant, product.id, body), status, code);
    expect((await images.product(tenant, product.id)).image).toBeNull();
  });

  it('CAT-040 JPEG and WebP are accepted, a member is refused, an unknown product answers 404 PRODUCT_NOT_FOUND', async () => {
    const { tenant, product } = await tenantWithProduct();
    for (const contentType of ['image/jpeg', 'image/webp', 'image/PNG; charset=binary']) expect((await images.request(tenant, product.id, { contentType, size: 100 })).statusCode).toBe(201);
    expectError(await images.api(tenant, { method: 'POST', url: `/products/${product.id}/image`, payload: { contentType: 'image/png', size: 100 } }, 'member'), 403, 'FORBIDDEN_ROLE');
    expectError(await images.request(tenant, randomUUID(), { size: 100 }), 404, 'PRODUCT_NOT_FOUND');
  });
});

describe('CAT-041 the signed upload URL', () => {
  it("CAT-041 refuses a body over the limit, another type, and a URL signed for another product's image", async () => {
    const { tenant, product } = await tenantWithProduct();
    const other = await images.newProduct(tenant);
    const { upload } = await images.requested(tenant, product.id, png);
    const { upload: otherUpload } = await images.requested(tenant, other.id, png);
    expectError(await images.put(tenant, upload, Buffer.alloc(MAX_BYTES + 1, 1)), 413, 'UPLOAD_TOO_LARGE');
    expectError(await images.put(tenant, upload, png, { 'content-type': 'image/jpeg' }), 415, 'UPLOAD_TYPE_NOT_ALLOWED');
    expectError(await images.put(tenant, { ...upload, url: otherUpload.url.replace(other.id, product.id) }, png), 403, 'UPLOAD_URL_INVALID');
    expect(await storage.stat(imageFiles(tenant, (await images.product(tenant, product.id)).image!.id).original)).toBeUndefined();
  });
});

describe('CAT-042 saying the file is uploaded', () => {
  it('CAT-042 before the file is there: 409 PRODUCT_IMAGE_NOT_UPLOADED and nothing queued', async () => {
    const { tenant, product } = await tenantWithProduct();
    await images.requested(tenant, product.id, png);
    expectError(await images.uploaded(tenant, product.id), 409, 'PRODUCT_IMAGE_NOT_UPLOADED');
    expect((await images.product(tenant, product.id)).image?.state).toBe('awaiting_upload');
    expect(await sqlAs(tenant, `select type from outbox where type = 'product.image_uploaded'`)).toEqual([]);
  });

  it('CAT-042 once stored: processing, with product.image_uploaded in the outbox; saying it again queues nothing twice', async () => {
    const { tenant, product } = await tenantWithProduct();
    const { image, upload } = await images.requested(tenant, product.id, png);
    expect((await images.put(tenant, upload, png)).statusCode).toBe(200);
    const first = await images.uploaded(tenant, product.id);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: image.id, state: 'processing', version: 2 });
    expect((await images.uploaded(tenant, product.id)).statusCode).toBe(200);
    const { etag } = (await storage.stat(imageFiles(tenant, image.id).original))!;
    expect(await sqlAs(tenant, `select payload from outbox where type = 'product.image_uploaded'`)).toEqual([{ payload: { productId: product.id, imageId: image.id, etag } }]);
    expectError(await images.put(tenant, upload, png), 409, 'PRODUCT_IMAGE_NOT_AWAITING_UPLOAD');
  });
});

describe('CAT-050 CAT-051 the image the worker reads is the one marked uploaded', () => {
  it('CAT-050 a PUT still streaming when the image is marked uploaded is refused with 409 PRODUCT_IMAGE_NOT_AWAITING_UPLOAD and discarded', async () => {
    const { tenant, product } = await tenantWithProduct();
    const { image, upload } = await images.requested(tenant, product.id, png);
    expect((await images.put(tenant, upload, png)).statusCode).toBe(200);
    const body = new PassThrough();
    const late = images.put(tenant, upload, body as unknown as Buffer);
    body.write(png.subarray(0, 100));
    const partials = async () => (await readdir(join(directory, 'tenants', tenant, 'product-images', image.id))).filter((name) => name.endsWith('.partial'));
    await waitUntil(async () => (await partials()).length === 1);
    expect((await images.uploaded(tenant, product.id)).statusCode).toBe(200);
    body.end(png.subarray(100));

    expectError(await late, 409, 'PRODUCT_IMAGE_NOT_AWAITING_UPLOAD');
    expect(await partials()).toEqual([]);
    expect((await images.processed(tenant, product.id)).image).toMatchObject({ id: image.id, state: 'ready' });
  });

  it('CAT-050 an original replaced after it was marked uploaded (its URL used again) fails the image with UPLOAD_CHANGED, no thumbnail made', async () => {
    const { tenant, product } = await tenantWithProduct();
    const { image, upload } = await images.requested(tenant, product.id, png);
    expect((await images.put(tenant, upload, png)).statusCode).toBe(200);
    const original = imageFiles(tenant, image.id).original;
    const marked = (await storage.stat(original))!.etag;
    // What "uploaded" records, then a second upload lands before the worker reads the file.
    await storage.put(original, await generatedImage('png', 50, 50), 'image/png');
    await sqlAs(tenant, `update product_images set state = 'processing', version = version + 1 where product_id = $1`, [product.id]);
    await sqlAs(tenant, `insert into outbox (tenant_id, event_id, type, payload) values ($1, $2, 'product.image_uploaded', $3)`, [tenant, randomUUID(), { productId: product.id, imageId: image.id, etag: marked }]);

    expect((await images.processed(tenant, product.id)).image).toMatchObject({ state: 'failed', failureCode: 'UPLOAD_CHANGED', thumbnailUrl: null });
    expect(await storage.stat(imageFiles(tenant, image.id).thumbnail)).toBeUndefined();
  });

  it('CAT-051 a body declared larger than the limit is refused with 413 before any of it is read, and the connection closes', async () => {
    const { tenant, product } = await tenantWithProduct();
    const { upload } = await images.requested(tenant, product.id, png);
    const body = new PassThrough();
    body.write(png.subarray(0, 100));
    // Never ended: only the declared length can refuse it.
    const response = await images.put(tenant, upload, body as unknown as Buffer, { ...upload.headers, 'content-length': String(MAX_BYTES + 1) });
    expectError(response, 413, 'UPLOAD_TOO_LARGE');
    expect(response.headers.connection).toBe('close');
  });
});

describe('CAT-044 a valid image gets a thumbnail', () => {
  it.each(['png', 'jpeg', 'webp'] as const)('CAT-044 a real %s of 800 × 600 becomes ready: its size is recorded and a WebP thumbnail of 256 × 192 is stored', async (format) => {
    const { tenant, product } = await tenantWithProduct();
    const file = await generatedImage(format);
    const done = await images.upload(tenant, product.id, file, `image/${format}`);
    expect(done.image).toMatchObject({ state: 'ready', width: 800, height: 600, failureCode: null, version: 3 });
    expect(done.image!.thumbnailUrl).toBe(`/api/v1/products/${product.id}/image/thumbnail?v=${done.image!.id}`);
    const stored = await storage.stat(imageFiles(tenant, done.image!.id).thumbnail);
    expect(stored?.contentType).toBe('image/webp');
    const response = await images.thumbnail(tenant, done.image!.thumbnailUrl!);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/webp');
    const metadata = await sharp(response.rawPayload).metadata();
    expect({ format: metadata.format, width: metadata.width, height: metadata.height }).toEqual({ format: 'webp', width: 256, height: 192 });
  });

  it('CAT-044 a small image is not enlarged, a tall one fits in height', async () => {
    const { tenant, product } = await tenantWithProduct();
    const small = await images.upload(tenant, product.id, await generatedImage('png', 100, 40));
    expect(await sharp((await images.thumbnail(tenant, small.image!.thumbnailUrl!)).rawPayload).metadata()).toMatchObject({ width: 100, height: 40 });
    const tall = await images.upload(tenant, product.id, await generatedImage('png', 300, 1200));
    expect(await sharp((await images.thumbnail(tenant, tall.image!.thumbnailUrl!)).rawPayload).metadata()).toMatchObject({ width: 64, height: 256 });
  });
});

describe('CAT-043 an unusable file is a failed image, never a crash', () => {
  it.each([
    { what: 'text named a PNG', file: async () => Buffer.from('this is not an image at all') },
    { what: 'a truncated PNG', file: async () => (await generatedImage('png')).subarray(0, 2_000) },
    { what: 'a GIF sent as a PNG', file: async () => sharp({ create: { width: 20, height: 20, channels: 3, background: '#336699' } }).gif().toBuffer() },
  ])('CAT-043 $what: the image fails with PRODUCT_IMAGE_INVALID, no thumbnail, no retry, no dead letter', async ({ file }) => {
    const { tenant, product } = await tenantWithProduct();
    const done = await images.upload(tenant, product.id, await file());
    expect(done.image).toMatchObject({ state: 'failed', failureCode: 'PRODUCT_IMAGE_INVALID', thumbnailUrl: null });
    expect(await storage.stat(imageFiles(tenant, done.image!.id).thumbnail)).toBeUndefined();
    expect(await sqlAs(tenant, 'select id from dead_letters')).toEqual([]);
    expect(keel.logs.filter((line) => line.eventId !== undefined && line.msg === 'message failed; retry scheduled' && JSON.stringify(line).includes('product-image'))).toEqual([]);
    expect((await images.product(tenant, product.id)).name).toBe(product.name);
  });

  it.each([
    { what: 'a stored file over the limit', code: 'UPLOAD_TOO_LARGE', write: (key: string) => storage.put(key, Buffer.alloc(MAX_BYTES + 10, 7), 'image/png') },
    { what: 'a stored file of another type', code: 'UPLOAD_TYPE_NOT_ALLOWED', write: (key: string) => storage.put(key, png, 'application/pdf') },
  ])('CAT-043 $what (put there without the signed URL\'s checks) fails with $code: the worker checks the stored object', async ({ code, write }) => {
    const { tenant, product } = await tenantWithProduct();
    const { image } = await images.requested(tenant, product.id, png);
    await write(imageFiles(tenant, image.id).original);
    expect((await images.uploaded(tenant, product.id)).statusCode).toBe(200);
    expect((await images.processed(tenant, product.id)).image).toMatchObject({ state: 'failed', failureCode: code });
  });
});

describe('CAT-045 the thumbnail worker is idempotent', () => {
  it('CAT-045 the same event delivered again changes nothing; an event of a replaced image leaves the new one alone', async () => {
    const { tenant, product } = await tenantWithProduct();
    const done = await images.upload(tenant, product.id, png);
    const [event] = await sqlAs<{ event_id: string; payload: unknown }>(tenant, `select event_id, payload from outbox where type = 'product.image_uploaded'`);
    // The same event id again (a redelivery), and the old image's event once a new image awaits its file.
    await sqlAs(tenant, `insert into outbox (tenant_id, event_id, type, payload) values ($1, $2, 'product.image_uploaded', $3)`, [tenant, event!.event_id, event!.payload]);
    await waitUntil(async () => (await sqlAs(tenant, `select 1 from outbox where event_id = $1 and published_at is null`, [event!.event_id])).length === 0);
    expect((await images.product(tenant, product.id)).image).toEqual(done.image);

    const { image: replacement } = await images.requested(tenant, product.id, png);
    await sqlAs(tenant, `insert into outbox (tenant_id, event_id, type, payload) values ($1, $2, 'product.image_uploaded', $3)`, [tenant, randomUUID(), event!.payload]);
    await waitUntil(async () => (await sqlAs(tenant, `select 1 from processed_messages where consumer = 'product-image-thumbnail'`)).length === 2);
    expect((await images.product(tenant, product.id)).image).toEqual(replacement);
    expect(await sqlAs(tenant, `select count(*)::int as count from processed_messages where consumer = 'product-image-thumbnail' and event_id = $1`, [event!.event_id])).toEqual([{ count: 1 }]);
  });
});

describe('CAT-046 products carry their image', () => {
  it('CAT-046 the list and the product show the image; a product without one shows null', async () => {
    const { tenant, product } = await tenantWithProduct();
    const plain = await images.newProduct(tenant);
    const done = await images.upload(tenant, product.id, png);
    const list = await images.api(tenant, { method: 'GET', url: '/products' }, 'member');
    expect(list.json<{ items: ProductDto[] }>().items.map((item) => [item.id, item.image])).toEqual([
      [product.id, done.image],
      [plain.id, null],
    ]);
    const changed = await images.api(tenant, { method: 'PATCH', url: `/products/${product.id}`, payload: { name: 'Renamed', version: done.version } });
    expect(changed.json<ProductDto>().image).toEqual(done.image);
  });

  it('CAT-046 the list runs as many statements with images on every product as without', async () => {
    const tenant = await images.newTenant();
    const products = [await images.newProduct(tenant), await images.newProduct(tenant), await images.newProduct(tenant)];
    const count = async () => (await images.api(tenant, { method: 'GET', url: '/products' }, 'member')).headers['x-query-count'];
    const without = await count();
    for (const product of products) await images.upload(tenant, product.id, png);
    expect(await count()).toBe(without);
  });
});

describe("CAT-047 the thumbnail is the tenant's", () => {
  it("CAT-047 members read it with their token; another tenant's token gets 404 PRODUCT_IMAGE_NOT_FOUND; no token gets 401", async () => {
    const { tenant, product } = await tenantWithProduct();
    const done = await images.upload(tenant, product.id, png);
    const url = done.image!.thumbnailUrl!;
    const response = await images.thumbnail(tenant, url, 'member');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    for (const role of ['member', 'owner'] as const) expectError(await images.thumbnail(await images.newTenant(), url, role), 404, 'PRODUCT_IMAGE_NOT_FOUND');
    expectError(await keel.app.inject({ method: 'GET', url }), 401, 'AUTH_TOKEN_MISSING');
  });

  it('CAT-047 an image that is not ready has no thumbnail to read', async () => {
    const { tenant, product } = await tenantWithProduct();
    await images.requested(tenant, product.id, png);
    expectError(await images.thumbnail(tenant, `/api/v1/products/${product.id}/image/thumbnail`), 404, 'PRODUCT_IMAGE_NOT_FOUND');
  });
});

describe('CAT-048 replaced and deleted images leave no files behind', () => {
  it("CAT-048 a new upload replaces the image at once and the old image's files are deleted", async () => {
    const { tenant, product } = await tenantWithProduct();
    const old = (await images.upload(tenant, product.id, png)).image!;
    const { image } = await images.requested(tenant, product.id, png);
    expect(image).toMatchObject({ state: 'awaiting_upload', version: old.version + 1 });
    expect(image.id).not.toBe(old.id);
    await waitUntil(async () => (await storage.stat(imageFiles(tenant, old.id).original)) === undefined && (await storage.stat(imageFiles(tenant, old.id).thumbnail)) === undefined);
  });

  it('CAT-048 deleting the image (admins) or the product deletes its files; a second delete answers 404', async () => {
    const { tenant, product } = await tenantWithProduct();
    const first = (await images.upload(tenant, product.id, png)).image!;
    expectError(await images.api(tenant, { method: 'DELETE', url: `/products/${product.id}/image` }, 'member'), 403, 'FORBIDDEN_ROLE');
    expect((await images.api(tenant, { method: 'DELETE', url: `/products/${product.id}/image` })).statusCode).toBe(204);
    expect((await images.product(tenant, product.id)).image).toBeNull();
    expectError(await images.api(tenant, { method: 'DELETE', url: `/products/${product.id}/image` }), 404, 'PRODUCT_IMAGE_NOT_FOUND');
    await waitUntil(async () => (await storage.stat(imageFiles(tenant, first.id).thumbnail)) === undefined);

    const second = (await images.upload(tenant, product.id, png)).image!;
    const current = await images.product(tenant, product.id);
    expect((await images.api(tenant, { method: 'DELETE', url: `/products/${product.id}?version=${current.version}` })).statusCode).toBe(204);
    await waitUntil(async () => (await storage.stat(imageFiles(tenant, second.id).original)) === undefined && (await storage.stat(imageFiles(tenant, second.id).thumbnail)) === undefined);
  });
});
