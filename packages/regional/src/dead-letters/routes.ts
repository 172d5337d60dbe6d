import { noBody, toPage, type HttpApp, type MessageRoutes, type WithTenant } from '@keel/kernel';
import { requireRole } from '../auth/require-role.ts';
import { DeadLetterNotFoundError } from './errors.ts';
import { findDeadLetter, listDeadLetters, toDeadLetterDto } from './queries.ts';
import { deadLetterDetail, deadLetterPage, deadLetterParams, listDeadLettersQuery } from './schemas.ts';
import { discardDeadLetter, replayDeadLetter } from './settle-dead-letter.ts';

const tags = ['dead letters'];

/** Admins' view of the messages consumers gave up on (specs/messaging.md, MSG-009/010). */
export function deadLetterRoutes(app: HttpApp, deps: { withTenant: WithTenant; routes: MessageRoutes }): void {
  const { withTenant } = deps;
  const preHandler = requireRole('admin');

  app.get('/dead-letters', { preHandler, schema: { tags, querystring: listDeadLettersQuery, response: { 200: deadLetterPage } } }, async (request) => {
    const { limit, cursor, status } = request.query;
    const rows = await withTenant((tx, tenantId) => listDeadLetters(tx, tenantId, { limit, after: cursor, status }));
    const page = toPage(rows, limit);
    return { items: page.items.map(toDeadLetterDto), nextCursor: page.nextCursor };
  });

  app.get('/dead-letters/:deadLetterId', { preHandler, schema: { tags, params: deadLetterParams, response: { 200: deadLetterDetail } } }, async (request) => {
    const row = await withTenant((tx, tenantId) => findDeadLetter(tx, tenantId, request.params.deadLetterId));
    if (!row) throw new DeadLetterNotFoundError();
    return toDeadLetterDto(row);
  });

  app.post(
    '/dead-letters/:deadLetterId/replay',
    { preHandler, schema: { tags, params: deadLetterParams, body: noBody, response: { 200: deadLetterDetail } } },
    async (request) => toDeadLetterDto(await replayDeadLetter(withTenant, deps.routes, request.params.deadLetterId)),
  );

  app.post(
    '/dead-letters/:deadLetterId/discard',
    { preHandler, schema: { tags, params: deadLetterParams, body: noBody, response: { 200: deadLetterDetail } } },
    async (request) => toDeadLetterDto(await discardDeadLetter(withTenant, request.params.deadLetterId)),
  );
}
