import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '../orders/schema.ts';
import { assertTransition } from '../orders/status-machine.ts';
import { SAMPLE_SIZES, sampleData } from './sample-data.ts';

const asOf = new Date('2026-11-26T12:00:00.000Z');
const NINETY_DAYS_MS = 90 * 86_400_000;

describe('PLT-017 the demo tenants\' sample data', () => {
  it.each(Object.keys(SAMPLE_SIZES) as (keyof typeof SAMPLE_SIZES)[])('PLT-017 the %s profile has its sizes and is the same every time', (profile) => {
    const data = sampleData(profile, asOf);
    expect({ stores: data.stores.length, products: data.products.length, orders: data.orders.length, reviews: data.reviews.length }).toEqual(SAMPLE_SIZES[profile]);
    expect(sampleData(profile, asOf)).toEqual(data);
  });

  it('PLT-017 orders and reviews come in the order they were made, as lists newest first expect', () => {
    const { orders, reviews } = sampleData('full', asOf);
    for (const list of [orders, reviews]) expect(list.map((item) => item.createdAt.getTime())).toEqual(list.map((item) => item.createdAt.getTime()).toSorted((a, b) => a - b));
  });

  it('PLT-017 the full profile has orders in every status, each reached along the status machine, within the 90 days before the seed', () => {
    const { orders, products } = sampleData('full', asOf);
    expect(new Set(orders.map((order) => order.path.at(-1)!.status))).toEqual(new Set(ORDER_STATUSES));
    for (const order of orders) {
      expect(order.path[0]).toEqual({ status: 'PENDING', at: order.createdAt });
      for (let step = 1; step < order.path.length; step++) {
        expect(() => assertTransition(order.path[step - 1]!.status, order.path[step]!.status)).not.toThrow();
        expect(order.path[step]!.at.getTime()).toBeGreaterThanOrEqual(order.path[step - 1]!.at.getTime());
      }
      expect(order.createdAt.getTime()).toBeGreaterThan(asOf.getTime() - NINETY_DAYS_MS - 86_400_000);
      expect(order.path.at(-1)!.at.getTime()).toBeLessThanOrEqual(asOf.getTime());
      expect(order.lines.every((line) => products[line.product]!.active)).toBe(true);
    }
  });
});
