import { appendToOutbox, type TenantTransaction } from '@keel/kernel';
import type { ReviewRow } from './review-row.ts';

export const REVIEW_EVENT_TYPES = { created: 'review.created', deleted: 'review.deleted' } as const;

export type ReviewEventType = (typeof REVIEW_EVENT_TYPES)[keyof typeof REVIEW_EVENT_TYPES];

/** Appended in the transaction of the change; the rating lets a consumer keep a store's figures. */
export async function emitReviewEvent(tx: TenantTransaction, type: ReviewEventType, review: Pick<ReviewRow, 'tenantId' | 'id' | 'storeId' | 'rating'>): Promise<void> {
  await appendToOutbox(tx, review.tenantId, [{ type, payload: { reviewId: review.id, storeId: review.storeId, rating: review.rating } }]);
}
