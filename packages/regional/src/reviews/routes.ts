import { z } from 'zod';
import { toPage, type HttpApp } from '@keel/kernel';
import { requireRole } from '../auth/require-role.ts';
import type { RegionalApiDependencies } from '../regional-api.ts';
import { StoreNotFoundError } from '../stores/errors.ts';
import { findStore } from '../stores/queries.ts';
import { createReview } from './create-review.ts';
import { deleteReview } from './delete-review.ts';
import { listReviews } from './queries.ts';
import { toReviewDto } from './review-row.ts';
import { createReviewBody, listReviewsQuery, reviewPage, reviewParams, reviewSchema, storeReviewsParams } from './schemas.ts';

const tags = ['reviews'];

/** A store's reviews (specs/reviews.md): members record and read them, admins delete them. */
export function reviewRoutes(app: HttpApp, deps: RegionalApiDependencies): void {
  const { withTenant } = deps;

  app.post(
    '/stores/:storeId/reviews',
    { schema: { tags, params: storeReviewsParams, body: createReviewBody, response: { 201: reviewSchema } } },
    async (request, reply) => {
      const row = await createReview(withTenant, request.params.storeId, request.body);
      return reply.status(201).send(toReviewDto(row));
    },
  );

  app.get('/stores/:storeId/reviews', { schema: { tags, params: storeReviewsParams, querystring: listReviewsQuery, response: { 200: reviewPage } } }, async (request) => {
    const { storeId } = request.params;
    const { limit, cursor, rating } = request.query;
    const rows = await withTenant(async (tx, tenantId) => {
      if (!(await findStore(tx, tenantId, storeId))) throw new StoreNotFoundError();
      return listReviews(tx, tenantId, storeId, { limit, before: cursor, rating });
    });
    const page = toPage(rows, limit);
    return { items: page.items.map(toReviewDto), nextCursor: page.nextCursor };
  });

  app.delete(
    '/stores/:storeId/reviews/:reviewId',
    { preHandler: requireRole('admin'), schema: { tags, params: reviewParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await deleteReview(withTenant, request.params.storeId, request.params.reviewId);
      return reply.status(204).send(null);
    },
  );
}
