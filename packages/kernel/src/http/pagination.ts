import { z } from 'zod';

/**
 * Cursor pagination: `?limit=&cursor=`, default 50, max 200. Lists order by a UUIDv7 id (time
 * ordered, unique), so the cursor is the last id seen; it is wrapped to stay opaque to clients.
 */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url');
}

const cursorPayload = z.object({ after: z.uuid() });

export const cursorSchema = z
  .string()
  .max(256)
  .transform((value, context) => {
    try {
      return cursorPayload.parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))).after;
    } catch {
      context.addIssue({ code: 'custom', message: 'invalid cursor', params: { rule: 'invalid_cursor' } });
      return z.NEVER;
    }
  });

export const paginationQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: cursorSchema.optional(),
});

export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Query one row more than the limit; its presence says whether there is a next page. */
export function toPage<Row extends { id: string }>(rows: Row[], limit: number): { items: Row[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
