import { z } from 'zod';
import { pageSchema, paginationQuery, plainText } from '@keel/kernel';

const storeName = plainText({ min: 1, max: 100 });
const version = z.number().int().min(1).max(2_147_483_647);
/** Query strings carry text; only the query coerces it to a number. */
const queryVersion = z.coerce.number().pipe(version);

export const storeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type StoreDto = z.infer<typeof storeSchema>;

/**
 * A store as listed and read (specs/stores.md STO-006 … STO-015): its figures, computed when it is
 * read; money in minor units of the tenant's `currency`.
 */
export const storeWithFiguresSchema = storeSchema.extend({
  reviewCount: z.number().int().min(0),
  /** The mean rating rounded to 2 decimals (halves away from zero); null without reviews. */
  averageRating: z.number().min(1).max(5).nullable(),
  /** Orders in OPEN_STATUSES (orders/status-machine.ts). */
  openOrders: z.number().int().min(0),
  /** Σ totalMinor of orders in REVENUE_STATUSES created this calendar month in the tenant's time zone. */
  revenueThisMonthMinor: z.number().int().min(0),
  currency: z.string().length(3),
});
export type StoreWithFiguresDto = z.infer<typeof storeWithFiguresSchema>;

export const storeParams = z.strictObject({ storeId: z.uuid() });
export const createStoreBody = z.strictObject({ name: storeName });
export const renameStoreBody = z.strictObject({ name: storeName, version });
export const deleteStoreQuery = z.strictObject({ version: queryVersion });
export const listStoresQuery = paginationQuery;
export const storePage = pageSchema(storeWithFiguresSchema);
