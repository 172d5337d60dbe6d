import { SQLSTATE, postgresErrorOf, type WithTenant } from '@keel/kernel';
import { reviews } from '../schema.ts';
import { StoreNotFoundError } from '../stores/errors.ts';
import { findStore } from '../stores/queries.ts';
import { tenantSettings } from '../tenants/tenant-settings.ts';
import type { ReviewRow } from './review-row.ts';
import { REVIEW_EVENT_TYPES, emitReviewEvent } from './review-events.ts';

/**
 * Records a review on a store of the tenant. No such store: STORE_NOT_FOUND, or TENANT_PROVISIONING
 * while the region has no copy of the tenant yet (it cannot have stores then). A store deleted
 * between the check and the insert fails the composite foreign key: STORE_NOT_FOUND too.
 */
export async function createReview(withTenant: WithTenant, storeId: string, input: { rating: number; body: string; authorName: string }): Promise<ReviewRow> {
  try {
    return await withTenant(async (tx, tenantId) => {
      if (!(await findStore(tx, tenantId, storeId))) {
        await tenantSettings(tx, tenantId);
        throw new StoreNotFoundError();
      }
      const [row] = await tx.insert(reviews).values({ tenantId, storeId, ...input }).returning();
      await emitReviewEvent(tx, REVIEW_EVENT_TYPES.created, row!);
      return row!;
    });
  } catch (error) {
    if (postgresErrorOf(error, SQLSTATE.foreignKeyViolation)?.constraint === 'reviews_store_fk') throw new StoreNotFoundError({ cause: error });
    throw error;
  }
}
