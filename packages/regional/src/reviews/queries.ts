import { and, desc, eq, lt } from 'drizzle-orm';
import type { TenantTransaction } from '@keel/kernel';
import { reviews } from '../schema.ts';
import type { ReviewRow } from './review-row.ts';

/** A page of the store's reviews, newest first (UUIDv7 ids are time-ordered): one statement. */
export async function listReviews(
  tx: TenantTransaction,
  tenantId: string,
  storeId: string,
  page: { limit: number; before?: string | undefined; rating?: number | undefined },
): Promise<ReviewRow[]> {
  return tx
    .select()
    .from(reviews)
    .where(
      and(
        eq(reviews.tenantId, tenantId),
        eq(reviews.storeId, storeId),
        page.rating === undefined ? undefined : eq(reviews.rating, page.rating),
        page.before === undefined ? undefined : lt(reviews.id, page.before),
      ),
    )
    .orderBy(desc(reviews.id))
    .limit(page.limit + 1);
}
