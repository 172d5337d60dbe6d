import { z } from 'zod';
import type { HttpApp, QueueDriver, WithTenant } from '@keel/kernel';
import { requireRole } from '../auth/require-role.ts';
import { messagingFigures, queueFigures } from './figures.ts';

const opsQueuesResponse = z.object({
  queues: z.array(z.object({ queue: z.string(), depth: z.number().int(), oldestMessageAgeMs: z.number().nullable() })),
  outbox: z.object({ pending: z.number().int(), oldestPendingAgeMs: z.number().nullable() }),
  deadLetters: z.object({ open: z.number().int() }),
});

/**
 * The operations view for a tenant's admins: the region's queues (depth and oldest message age;
 * aggregate load, nobody's data), and the tenant's own outbox lag and open dead letters.
 */
export function opsRoutes(app: HttpApp, deps: { withTenant: WithTenant; driver: QueueDriver; queues: readonly string[] }): void {
  app.get('/ops/queues', { preHandler: requireRole('admin'), schema: { tags: ['operations'], response: { 200: opsQueuesResponse } } }, async () => {
    const [queues, figures] = await Promise.all([
      queueFigures(deps.driver, deps.queues),
      deps.withTenant((tx, tenantId) => messagingFigures(tx, tenantId)),
    ]);
    return { queues, ...figures };
  });
}
