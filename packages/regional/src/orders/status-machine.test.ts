import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, type OrderStatus } from './schema.ts';
import { allowedTransitions, assertTransition } from './status-machine.ts';

const ALLOWED: readonly [OrderStatus, OrderStatus][] = [
  ['PENDING', 'CONFIRMED'],
  ['CONFIRMED', 'PACKED'],
  ['PACKED', 'SHIPPED'],
  ['SHIPPED', 'DELIVERED'],
  ['DELIVERED', 'RETURN_REQUESTED'],
  ['RETURN_REQUESTED', 'RETURNED'],
  ['PENDING', 'CANCELLED'],
  ['CONFIRMED', 'CANCELLED'],
  ['PACKED', 'CANCELLED'],
];
const isAllowed = (from: OrderStatus, to: OrderStatus) => ALLOWED.some(([a, b]) => a === from && b === to);
const everyPair = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => ({ from, to })));

describe('ORD-003 the status machine', () => {
  it.each(ALLOWED.map(([from, to]) => ({ from, to })))('ORD-003 allows $from → $to', ({ from, to }) => {
    expect(() => assertTransition(from, to)).not.toThrow();
    expect(allowedTransitions(from)).toContain(to);
  });

  it.each(everyPair.filter(({ from, to }) => to === 'CANCELLED' && !isAllowed(from, to)))('ORD-004 refuses to cancel a $from order with ORDER_NOT_CANCELLABLE', ({ from, to }) => {
    expect(() => assertTransition(from, to)).toThrow(expect.objectContaining({ code: 'ORDER_NOT_CANCELLABLE', status: 409 }));
  });

  it.each(everyPair.filter(({ from, to }) => to !== 'CANCELLED' && !isAllowed(from, to)))('ORD-005 refuses $from → $to with ORDER_INVALID_TRANSITION', ({ from, to }) => {
    expect(() => assertTransition(from, to)).toThrow(expect.objectContaining({ code: 'ORDER_INVALID_TRANSITION', status: 409 }));
    expect(allowedTransitions(from)).not.toContain(to);
  });
});
