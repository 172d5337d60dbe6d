import { and, eq } from 'drizzle-orm';
import type { WithTenant } from '@keel/kernel';
import { reviews } from '../schema.ts';
import { ReviewNotFoundError } from './errors.ts';
import { REVIEW_EVENT_TYPES, emitReviewEvent } from './review-events.ts';

/** Deletes the review at this address (tenant, store, id); any other is REVIEW_NOT_FOUND. */
export async function deleteReview(withTenant: WithTenant, storeId: string, reviewId: string): Promise<void> {
  await withTenant(async (tx, tenantId) => {
    const [deleted] = await tx
      .delete(reviews)
      .where(and(eq(reviews.tenantId, tenantId), eq(reviews.storeId, storeId), eq(reviews.id, reviewId)))
      .returning();
    if (!deleted) throw new ReviewNotFoundError();
    await emitReviewEvent(tx, REVIEW_EVENT_TYPES.deleted, deleted);
  });
}
