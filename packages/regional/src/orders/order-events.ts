import { appendToOutbox, type TenantTransaction } from '@keel/kernel';
import type { OrderStatus } from './schema.ts';

export const ORDER_EVENT_TYPES = { created: 'order.created', changed: 'order.changed', statusChanged: 'order.status_changed' } as const;

/**
 * Every order event names the order, carries the version the change made and who made it: the
 * token's subject, a user id or `apikey:<id>` (ORD-006, ORD-019, ORD-021).
 */
interface OrderEventBase {
  orderId: string;
  number: number;
  version: number;
  by: string;
}

export interface OrderCreatedPayload extends OrderEventBase {
  storeId: string;
  status: OrderStatus;
  currency: string;
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
  lineCount: number;
}

export interface OrderStatusChangedPayload extends OrderEventBase {
  from: OrderStatus;
  to: OrderStatus;
}

export interface OrderChangedPayload extends OrderEventBase {
  notes: string;
}

type OrderEvent =
  | { type: typeof ORDER_EVENT_TYPES.created; payload: OrderCreatedPayload }
  | { type: typeof ORDER_EVENT_TYPES.statusChanged; payload: OrderStatusChangedPayload }
  | { type: typeof ORDER_EVENT_TYPES.changed; payload: OrderChangedPayload };

/** Appended in the transaction of the change: it commits or rolls back with it. */
export async function emitOrderEvent(tx: TenantTransaction, tenantId: string, event: OrderEvent): Promise<void> {
  await appendToOutbox(tx, tenantId, [{ type: event.type, payload: { ...event.payload } }]);
}
