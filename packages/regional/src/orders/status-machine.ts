import type { OrderStatus } from './schema.ts';
import { OrderInvalidTransitionError, OrderNotCancellableError } from './errors.ts';

/** specs/orders.md: the forward path, the return flow after delivery, and cancellation before shipping. */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['PACKED', 'CANCELLED'],
  PACKED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: ['RETURN_REQUESTED'],
  RETURN_REQUESTED: ['RETURNED'],
  RETURNED: [],
  CANCELLED: [],
};

/** The statuses an order in `status` may move to, in the order a UI offers them. */
export function allowedTransitions(status: OrderStatus): readonly OrderStatus[] {
  return NEXT[status];
}

/** Throws the spec's error unless `from → to` is allowed: a cancellation that is not has its own code. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (NEXT[from].includes(to)) return;
  if (to === 'CANCELLED') throw new OrderNotCancellableError();
  throw new OrderInvalidTransitionError();
}

/** Orders still being worked on: counted as open on the stores overview. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['PENDING', 'CONFIRMED', 'PACKED', 'SHIPPED'];

/** Orders whose money counts as revenue (not cancelled, not returned). */
export const REVENUE_STATUSES: readonly OrderStatus[] = ['PENDING', 'CONFIRMED', 'PACKED', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED'];
