// query-core: the QueryClient that @tanstack/react-query re-exports, without React's types.
import { QueryClient } from '@tanstack/query-core';
import { describe, expect, it } from 'vitest';
import { applyOrderUpdate, type OrderKeys } from '../src/live/order-cache.ts';

/** The query keys of one organization's orders pages, as useOrderKeys makes them. */
const key = (...parts: unknown[]) => ['tenant', 'acme', ...parts];
const keys = {
  detail: (orderId: string) => key('orders', 'detail', orderId),
  board: (status?: string) => (status === undefined ? key('orders', 'board') : key('orders', 'board', status)),
  list: (filters?: unknown) => (filters === undefined ? key('orders', 'list') : key('orders', 'list', filters)),
} satisfies OrderKeys;

function cacheShowing(orderId: string, version: number): QueryClient {
  const queryClient = new QueryClient();
  queryClient.setQueryData(keys.detail(orderId), { id: orderId, version });
  queryClient.setQueryData(keys.board('CONFIRMED'), { pages: [{ items: [{ id: orderId, version }], nextCursor: null }], pageParams: [undefined] });
  queryClient.setQueryData(keys.list({ q: '' }), { items: [{ id: orderId, version }], nextCursor: null });
  return queryClient;
}

const invalidated = (queryClient: QueryClient) =>
  queryClient
    .getQueryCache()
    .getAll()
    .filter((query) => query.state.isInvalidated)
    .map((query) => query.queryKey.slice(2).map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('/'))
    .sort();

describe('WEB-071 only newer versions are applied', () => {
  it('WEB-071 an event of the version shown (a redelivery, or the page\'s own change) refetches nothing', () => {
    const queryClient = cacheShowing('o1', 3);
    applyOrderUpdate(queryClient, keys, { type: 'order.status_changed', orderId: 'o1', number: 1, status: 'CONFIRMED', version: 3 });
    applyOrderUpdate(queryClient, keys, { type: 'order.changed', orderId: 'o1', number: 1, version: 2 });
    expect(invalidated(queryClient)).toEqual([]);
  });

  it('WEB-071 a newer event refetches the order and the lists that show it; an unlisted order\'s refetches the lists', () => {
    const queryClient = cacheShowing('o1', 3);
    applyOrderUpdate(queryClient, keys, { type: 'order.status_changed', orderId: 'o1', number: 1, status: 'PACKED', version: 4 });
    expect(invalidated(queryClient)).toEqual(['orders/board/CONFIRMED', 'orders/detail/o1', 'orders/list/{"q":""}']);

    const fresh = cacheShowing('o1', 3);
    applyOrderUpdate(fresh, keys, { type: 'order.created', orderId: 'o2', number: 2, status: 'PENDING', version: 1 });
    expect(invalidated(fresh)).toEqual(['orders/board/CONFIRMED', 'orders/list/{"q":""}']);
  });
});
