import { ApiError, NETWORK_ERROR, apiErrorFrom } from '../../api/api-error.ts';
import type { TenantApi } from '../../api/client.ts';
import { keel } from '../../api/keel.ts';
import type { ProductImage } from '../../api/types.ts';
import { uploadFile, type UploadTarget } from '../imports/imports-api.ts';

/** What Keel accepts as a product image (specs/catalog.md, CAT-040); it checks again, this only spares a round trip. */
export const PRODUCT_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** A product's image routes of `/api/v1` (admins upload and remove; every member reads thumbnails). */
export function productImageApi(api: TenantApi) {
  const path = (productId: string) => `/products/${encodeURIComponent(productId)}/image`;
  const bearer = async () => (await keel.tokens.get(api.tenantId)).token;
  return {
    /** Asks for a target, sends the file straight to storage (reusing the imports' uploader), then says it is uploaded. */
    async upload(productId: string, file: File, onProgress: (percent: number) => void): Promise<ProductImage> {
      const { upload } = await api.request<{ image: ProductImage; upload: UploadTarget }>(path(productId), { method: 'POST', body: { contentType: file.type, size: file.size } });
      await uploadFile(upload, file, await bearer(), onProgress);
      return api.request<ProductImage>(`${path(productId)}/uploaded`, { method: 'POST', body: {} });
    },
    remove: (productId: string) => api.request<void>(path(productId), { method: 'DELETE' }),
    /**
     * The thumbnail as a data URL. Keel serves it under `/api/v1` with the bearer token (an <img src>
     * cannot send one), so it is fetched here.
     */
    async thumbnail(url: string): Promise<string> {
      let response: Response;
      try {
        response = await fetch(url, { headers: { authorization: `Bearer ${await bearer()}` }, credentials: 'omit' });
      } catch (cause) {
        throw new ApiError({ status: 0, code: NETWORK_ERROR, cause });
      }
      if (!response.ok) throw await apiErrorFrom(response);
      return dataUrl(await response.blob());
    },
  };
}

function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => resolve(reader.result as string));
    reader.addEventListener('error', () => reject(reader.error ?? new Error('the thumbnail could not be read')));
    reader.readAsDataURL(blob);
  });
}
