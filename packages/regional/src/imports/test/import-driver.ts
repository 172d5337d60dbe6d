import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { UploadTargetDto } from '@keel/kernel';
import type { TestKeel } from '../../../../../test/support/keel.ts';
import { waitUntil } from '../../../../../test/support/queue-driver-contract.ts';
import type { ImportDto } from '../schemas.ts';

export type UploadTarget = UploadTargetDto;

export interface Rejection {
  row: number;
  code: string;
  field: string | null;
}

/** The imports API of one Keel, as a tenant's admin (or the role given) calls it. */
export function importDriver(keel: TestKeel) {
  async function api(tenantId: string, request: InjectOptions, role: 'owner' | 'admin' | 'member' = 'admin'): Promise<LightMyRequestResponse> {
    const headers = { ...(await keel.authorization(tenantId, { role })), ...(request.headers as Record<string, string> | undefined) };
    return keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers });
  }

  async function request(tenantId: string, body: { kind?: string; fileName?: string; size: number; contentType?: string }) {
    return api(tenantId, { method: 'POST', url: '/imports', payload: { kind: 'products-csv', fileName: 'products.csv', contentType: 'text/csv', ...body } });
  }

  async function requested(tenantId: string, csv: string, kind = 'products-csv') {
    const response = await request(tenantId, { kind, size: Buffer.byteLength(csv) });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ import: ImportDto; upload: UploadTarget }>();
  }

  /** The browser's PUT to the local driver's signed URL. */
  function put(tenantId: string, target: UploadTarget, body: string | Buffer, headers: Record<string, string> = target.headers) {
    return api(tenantId, { method: 'PUT', url: target.url.replace(/^\/api\/v1/, ''), headers, payload: body });
  }

  function uploaded(tenantId: string, importId: string) {
    return api(tenantId, { method: 'POST', url: `/imports/${importId}/uploaded` });
  }

  async function read(tenantId: string, importId: string): Promise<ImportDto> {
    const response = await api(tenantId, { method: 'GET', url: `/imports/${importId}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ImportDto>();
  }

  async function finished(tenantId: string, importId: string): Promise<ImportDto> {
    let current: ImportDto | undefined;
    await waitUntil(async () => {
      current = await read(tenantId, importId);
      return current.state === 'done' || current.state === 'failed';
    });
    return current!;
  }

  async function rejections(tenantId: string, importId: string): Promise<Rejection[]> {
    const all: Rejection[] = [];
    let afterRow: number | null = null;
    do {
      const response = await api(tenantId, { method: 'GET', url: `/imports/${importId}/rejections?limit=200${afterRow === null ? '' : `&afterRow=${afterRow}`}` });
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ items: Rejection[]; nextAfterRow: number | null }>();
      all.push(...page.items);
      afterRow = page.nextAfterRow;
    } while (afterRow !== null);
    return all;
  }

  /** Request, upload, mark uploaded, wait until finished. */
  async function run(tenantId: string, csv: string, kind = 'products-csv') {
    const { import: created, upload } = await requested(tenantId, csv, kind);
    expect((await put(tenantId, upload, csv)).statusCode).toBe(200);
    expect((await uploaded(tenantId, created.id)).statusCode).toBe(200);
    const done = await finished(tenantId, created.id);
    return { import: done, rejections: await rejections(tenantId, created.id) };
  }

  async function newTenant(): Promise<string> {
    const tenantId = randomUUID();
    await keel.provisionTenant(tenantId);
    return tenantId;
  }

  return { api, request, requested, put, uploaded, read, finished, rejections, run, newTenant };
}

/** A products CSV of `count` valid rows (SKU-<prefix>-<n>). */
export function productsCsv(count: number, prefix = 'P'): string {
  const lines = ['sku,name,price_minor'];
  for (let index = 1; index <= count; index++) lines.push(`${prefix}-${index},Product ${index},${100 + index}`);
  return `${lines.join('\n')}\n`;
}
