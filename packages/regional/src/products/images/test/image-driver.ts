import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { UploadTargetDto } from '@keel/kernel';
import type { TestKeel } from '../../../../../../test/support/keel.ts';
import { waitUntil } from '../../../../../../test/support/queue-driver-contract.ts';
import type { ProductDto } from '../../schemas.ts';
import type { ProductImageDto } from '../schemas.ts';

export type UploadTarget = UploadTargetDto;

type Role = 'owner' | 'admin' | 'member';

/** The product images API of one Keel, as a tenant's admin (or the role given) calls it. */
export function imageDriver(keel: TestKeel) {
  async function api(tenantId: string, request: InjectOptions, role: Role = 'admin'): Promise<LightMyRequestResponse> {
    const headers = { ...(await keel.authorization(tenantId, { role })), ...(request.headers as Record<string, string> | undefined) };
    return keel.app.inject({ ...request, url: `/api/v1${String(request.url).replace(/^\/api\/v1/, '')}`, headers });
  }

  async function newTenant(): Promise<string> {
    const tenantId = randomUUID();
    await keel.provisionTenant(tenantId);
    return tenantId;
  }

  async function newProduct(tenantId: string): Promise<ProductDto> {
    const response = await api(tenantId, { method: 'POST', url: '/products', payload: { sku: `IMG-${randomUUID().slice(0, 8)}`, name: 'Pictured product', priceMinor: 1200 } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<ProductDto>();
  }

  function request(tenantId: string, productId: string, body: { contentType?: string; size: number }) {
    return api(tenantId, { method: 'POST', url: `/products/${productId}/image`, payload: { contentType: 'image/png', ...body } });
  }

  async function requested(tenantId: string, productId: string, file: Buffer, contentType = 'image/png') {
    const response = await request(tenantId, productId, { contentType, size: file.length });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ image: ProductImageDto; upload: UploadTarget }>();
  }

  /** The browser's PUT to the local driver's signed URL. */
  function put(tenantId: string, target: UploadTarget, body: Buffer, headers: Record<string, string> = target.headers) {
    return api(tenantId, { method: 'PUT', url: target.url, headers, payload: body });
  }

  function uploaded(tenantId: string, productId: string) {
    return api(tenantId, { method: 'POST', url: `/products/${productId}/image/uploaded` });
  }

  async function product(tenantId: string, productId: string, role: Role = 'member'): Promise<ProductDto> {
    const response = await api(tenantId, { method: 'GET', url: `/products/${productId}` }, role);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ProductDto>();
  }

  /** The product once its image is no longer processing. */
  async function processed(tenantId: string, productId: string): Promise<ProductDto> {
    let current: ProductDto | undefined;
    await waitUntil(async () => {
      current = await product(tenantId, productId);
      return current.image?.state === 'ready' || current.image?.state === 'failed';
    });
    return current!;
  }

  /** Request, upload, mark uploaded, wait until processed. */
  async function upload(tenantId: string, productId: string, file: Buffer, contentType = 'image/png'): Promise<ProductDto> {
    const { upload: target } = await requested(tenantId, productId, file, contentType);
    const put_ = await put(tenantId, target, file);
    expect(put_.statusCode, put_.body).toBe(200);
    const marked = await uploaded(tenantId, productId);
    expect(marked.statusCode, marked.body).toBe(200);
    return processed(tenantId, productId);
  }

  function thumbnail(tenantId: string, url: string, role: Role = 'member') {
    return api(tenantId, { method: 'GET', url }, role);
  }

  return { api, newTenant, newProduct, request, requested, put, uploaded, product, processed, upload, thumbnail };
}

/** A real image made by sharp: a colour gradient of `width` × `height` pixels. */
export async function generatedImage(format: 'png' | 'jpeg' | 'webp', width = 800, height = 600): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 3;
      pixels[offset] = Math.floor((255 * x) / width);
      pixels[offset + 1] = Math.floor((255 * y) / height);
      pixels[offset + 2] = 128;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).toFormat(format).toBuffer();
}
