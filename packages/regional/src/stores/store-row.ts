import type { stores } from '../schema.ts';
import type { StoreDto } from './schemas.ts';

export type StoreRow = typeof stores.$inferSelect;

export function toStoreDto(row: StoreRow): StoreDto {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
