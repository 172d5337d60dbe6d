import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import { envelopeOfStoredEvent, type Database } from '@keel/kernel';
import type { FeedPage } from '../contracts/feed.ts';
import { feedEvents } from '../schema.ts';

/** The events after `after` for one region: its tenants' events and those for every region. */
export async function readFeed(database: Database, query: { region: string; after: number; limit: number }): Promise<FeedPage> {
  const rows = await database
    .select()
    .from(feedEvents)
    .where(and(gt(feedEvents.position, query.after), or(eq(feedEvents.region, query.region), isNull(feedEvents.region))))
    .orderBy(asc(feedEvents.position))
    .limit(query.limit);
  return {
    events: rows.map((row) => ({ position: row.position, envelope: envelopeOfStoredEvent(row) })),
    next: rows.at(-1)?.position ?? query.after,
  };
}
