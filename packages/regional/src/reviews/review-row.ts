import type { reviews } from '../schema.ts';
import type { ReviewDto } from './schemas.ts';

export type ReviewRow = typeof reviews.$inferSelect;

export function toReviewDto(row: ReviewRow): ReviewDto {
  return {
    id: row.id,
    storeId: row.storeId,
    rating: row.rating,
    body: row.body,
    authorName: row.authorName,
    createdAt: row.createdAt.toISOString(),
  };
}
