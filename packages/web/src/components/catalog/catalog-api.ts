import type { TenantApi } from '../../api/client.ts';
import type { Product, Review, Store } from '../../api/types.ts';

/** A store as creating and renaming answer it: without its figures (specs/stores.md STO-006). */
export type StoreRecord = Pick<Store, 'id' | 'name' | 'version' | 'createdAt' | 'updatedAt'>;

export interface ProductInput {
  sku: string;
  name: string;
  priceMinor: number;
  active: boolean;
}

/** The catalog's writes on `/api/v1` for the organization of the URL (reads are on the shared client). */
export function catalogApi(api: TenantApi) {
  const path = (...parts: string[]) => parts.map((part) => `/${encodeURIComponent(part)}`).join('');
  return {
    createStore: (name: string) => api.request<StoreRecord>('/stores', { method: 'POST', body: { name } }),
    renameStore: (storeId: string, name: string, version: number) => api.request<StoreRecord>(path('stores', storeId), { method: 'PATCH', body: { name, version } }),
    product: (productId: string) => api.request<Product>(path('products', productId)),
    createProduct: (input: ProductInput) => api.request<Product>('/products', { method: 'POST', body: input }),
    /** Only the fields that changed, with the version the form was filled from (CAT-008). */
    updateProduct: (productId: string, changes: Partial<ProductInput>, version: number) =>
      api.request<Product>(path('products', productId), { method: 'PATCH', body: { ...changes, version } }),
    createReview: (storeId: string, review: { rating: number | undefined; body: string; authorName: string }) =>
      api.request<Review>(path('stores', storeId, 'reviews'), { method: 'POST', body: review }),
    deleteReview: (storeId: string, reviewId: string) => api.request<void>(path('stores', storeId, 'reviews', reviewId), { method: 'DELETE' }),
  };
}
