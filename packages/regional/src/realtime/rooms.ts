import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { runWithContext, type WithTenant } from '@keel/kernel';
import { orders } from '../orders/schema.ts';
import { stores } from '../stores/schema.ts';
import { RealtimeRoomForbiddenError } from './errors.ts';

/** Every socket is in its tenant's room and in its subject's (through which a revocation cuts it). */
export const tenantRoom = (tenantId: string): string => `tenant:${tenantId}`;
export const subjectRoom = (tenantId: string, subject: string): string => `subject:${tenantId}:${subject}`;
export const orderRoom = (orderId: string): string => `order:${orderId}`;
/** The tenant's admins and owners (while their token says so): what only they may read over HTTP, such as imports. */
export const adminsRoom = (tenantId: string): string => `admins:${tenantId}`;
/** The tenant's orders board: its presence (who is on the board) goes to the sockets there. */
export const boardRoom = (tenantId: string): string => `board:${tenantId}`;

const joinableRoom = /^(store|order):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A well-formed store or order room (not whether the socket may join it: see authorizeRoom). */
export const isJoinableRoom = (room: string): boolean => joinableRoom.test(room);

/**
 * The room a socket of `tenantId` asks to join, once its store or order is found in that tenant
 * (under the tenant's row-level security): else `REALTIME_ROOM_FORBIDDEN`, the same for an unknown
 * room, a malformed one and another tenant's.
 */
export async function authorizeRoom(withTenant: WithTenant, tenantId: string, request: unknown): Promise<string> {
  const room = typeof request === 'object' && request !== null && 'room' in request ? request.room : undefined;
  const match = typeof room === 'string' ? joinableRoom.exec(room) : null;
  if (!match) throw new RealtimeRoomForbiddenError();
  const [, kind, id] = match as unknown as [string, 'store' | 'order', string];
  const found = await runWithContext({ requestId: randomUUID(), tenantId }, () =>
    withTenant(async (tx, tenant) => {
      const rows =
        kind === 'store'
          ? await tx.select({ id: stores.id }).from(stores).where(and(eq(stores.tenantId, tenant), eq(stores.id, id))).limit(1)
          : await tx.select({ id: orders.id }).from(orders).where(and(eq(orders.tenantId, tenant), eq(orders.id, id))).limit(1);
      return rows.length > 0;
    }),
  );
  if (!found) throw new RealtimeRoomForbiddenError();
  return `${kind}:${id}`;
}
