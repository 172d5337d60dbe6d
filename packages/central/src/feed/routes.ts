import type { HttpApp, Database } from '@keel/kernel';
import { feedPageSchema, feedQuerySchema } from '../contracts/feed.ts';
import { RegionCredentialInvalidError } from '../contracts/feed-errors.ts';
import type { RegionRegistry } from '../regions/region-registry.ts';
import type { FeedNotifier } from './feed-notifier.ts';
import { readFeed } from './read-feed.ts';

/**
 * `GET /api/central/feed`: a region pulls its events with its credential; with `waitMs`, an empty
 * answer waits for the next append first (long poll). Central never reaches out to a region.
 */
export function feedRoutes(app: HttpApp, deps: { database: Database; regions: RegionRegistry; notifier: FeedNotifier }): void {
  app.get('/feed', { schema: { tags: ['feed'], querystring: feedQuerySchema, response: { 200: feedPageSchema } } }, async (request) => {
    const credential = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (credential === undefined || !(await deps.regions.verifyCredential(request.query.region, credential))) {
      throw new RegionCredentialInvalidError();
    }
    // Subscribe before reading, so an append between the read and the wait is not missed.
    const appended = request.query.waitMs > 0 ? deps.notifier.nextAppend(request.query.waitMs) : undefined;
    const page = await readFeed(deps.database, request.query);
    if (page.events.length > 0 || appended === undefined) return page;
    // At shutdown the poll is answered with the (empty) page it read: the pool is about to close.
    return (await appended) ? readFeed(deps.database, request.query) : page;
  });
}
