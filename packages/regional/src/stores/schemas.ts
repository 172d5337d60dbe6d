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

export const storeParams = z.strictObject({ storeId: z.uuid() });
export const createStoreBody = z.strictObject({ name: storeName });
export const renameStoreBody = z.strictObject({ name: storeName, version });
export const deleteStoreQuery = z.strictObject({ version: queryVersion });
export const listStoresQuery = paginationQuery;
export const storePage = pageSchema(storeSchema);
