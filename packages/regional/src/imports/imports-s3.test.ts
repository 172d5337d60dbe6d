import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fauxqsCredentials, fauxqsRegion, startFauxqs, type Fauxqs } from '../../../../test/support/fauxqs.ts';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { importDriver, productsCsv, type UploadTarget } from './test/import-driver.ts';

/** A whole import on the S3 driver (fauxqs's S3): presigned POST from the browser, then batches read by byte range. */
let fauxqs: Fauxqs;
let keel: TestKeel;
let imports: ReturnType<typeof importDriver>;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  const s3 = new S3Client({ endpoint: fauxqs.endpoint, region: fauxqsRegion, credentials: fauxqsCredentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'keel-imports' }));
  s3.destroy();
  keel = await startTestKeel({ STORAGE_DRIVER: 's3', S3_BUCKET: 'keel-imports', S3_ENDPOINT: fauxqs.endpoint, IMPORT_BATCH_SIZE: '4', OUTBOX_POLL_INTERVAL_MS: '50' });
  imports = importDriver(keel);
});

afterAll(async () => {
  await keel?.stop();
  await fauxqs?.stop();
});

/** The browser's POST of the upload form to the bucket; its status. */
async function postForm(upload: UploadTarget, csv: string): Promise<number> {
  const form = new FormData();
  for (const [field, value] of Object.entries(upload.fields)) form.append(field, value);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'products.csv');
  return (await fetch(upload.url, { method: 'POST', body: form })).status;
}

describe('UPL-002 UPL-020 imports on the S3 driver', () => {
  it('UPL-002 UPL-020 the browser POSTs the form to the bucket; the worker reads the file batch by batch from its checkpoint', async () => {
    const tenant = await imports.newTenant();
    const csv = productsCsv(10, 'S3');
    const { import: created, upload } = await imports.requested(tenant, csv);
    expect(upload).toMatchObject({ method: 'POST', url: `${fauxqs.endpoint}/keel-imports`, fields: { key: `tenants/${tenant}/imports/${created.id}`, 'Content-Type': 'text/csv' } });

    expect(await postForm(upload, csv)).toBe(204);
    expect((await imports.uploaded(tenant, created.id)).statusCode).toBe(200);

    expect(await imports.finished(tenant, created.id)).toMatchObject({ state: 'done', rowsImported: 10, rowsRejected: 0, progress: 100 });
    const listed = (await imports.api(tenant, { method: 'GET', url: '/products?limit=200' })).json<{ items: { sku: string }[] }>();
    expect(listed.items.map((item) => item.sku).toSorted()).toEqual(Array.from({ length: 10 }, (_, index) => `S3-${index + 1}`).toSorted());
  });

  it('UPL-025 the presigned POST used again after "uploaded" replaces the object: the import fails with UPLOAD_CHANGED, importing no row of the second file', async () => {
    const tenant = await imports.newTenant();
    const csv = productsCsv(20, 'KEPT');
    const { import: created, upload } = await imports.requested(tenant, csv);
    expect(await postForm(upload, csv)).toBe(204);
    expect((await imports.uploaded(tenant, created.id)).statusCode).toBe(200);
    expect(await postForm(upload, productsCsv(20, 'SWAPPED'))).toBe(204);

    const done = await imports.finished(tenant, created.id);
    expect(done).toMatchObject({ state: 'failed', failureCode: 'UPLOAD_CHANGED' });
    const listed = (await imports.api(tenant, { method: 'GET', url: '/products?limit=200' })).json<{ items: { sku: string }[] }>();
    expect(listed.items.filter((item) => item.sku.startsWith('SWAPPED'))).toEqual([]);
  });

  it('UPL-013 the local upload route takes nothing on the S3 driver', async () => {
    const tenant = await imports.newTenant();
    const { import: created, upload } = await imports.requested(tenant, 'sku\n');
    const response = await imports.put(tenant, { ...upload, url: `/api/v1/imports/${created.id}/file?token=forged` }, 'sku\n', { 'content-type': 'text/csv' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'UPLOAD_URL_INVALID' });
  });
});
