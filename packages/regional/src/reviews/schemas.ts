import { z } from 'zod';
import { pageSchema, paginationQuery, plainText } from '@keel/kernel';

const rating = z.number().int().min(1).max(5);

export const reviewSchema = z.object({
  id: z.uuid(),
  storeId: z.uuid(),
  rating,
  body: z.string(),
  authorName: z.string(),
  createdAt: z.iso.datetime(),
});
export type ReviewDto = z.infer<typeof reviewSchema>;

export const storeReviewsParams = z.strictObject({ storeId: z.uuid() });
export const reviewParams = z.strictObject({ storeId: z.uuid(), reviewId: z.uuid() });
export const createReviewBody = z.strictObject({
  rating,
  body: plainText({ min: 1, max: 2000 }),
  authorName: plainText({ min: 1, max: 100 }),
});
/** Newest first; `rating` keeps only the reviews with exactly that rating. */
export const listReviewsQuery = paginationQuery.extend({ rating: z.coerce.number().pipe(rating).optional() });
export const reviewPage = pageSchema(reviewSchema);
