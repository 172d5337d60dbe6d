import type { OrderDetail, OrderListItem, Page } from '../api/types.ts';
import type { OrderUpdate } from './live-connection.ts';

type Key = readonly unknown[];

/** The query keys of the orders pages (useOrderKeys). */
export interface OrderKeys {
  detail(orderId: string): unknown[];
  board(): unknown[];
  list(): unknown[];
}

/**
 * What this needs of TanStack Query's QueryClient (which it is given). Written out so that this
 * module, and its tests in Node, need no React types.
 */
export interface QueryCache {
  getQueryData(queryKey: Key): unknown;
  getQueriesData(filters: { queryKey: Key }): [Key, unknown][];
  invalidateQueries(filters: { queryKey: Key; exact?: boolean }): Promise<void>;
}

type Listed = { pages: Page<OrderListItem>[] } | Page<OrderListItem> | undefined;

/**
 * An `order` event into the query cache (WEB-071): the open order and the lists are refetched only
 * when the event is newer than the version they show; a redelivered or own change refetches nothing.
 */
export function applyOrderUpdate(queryClient: QueryCache, keys: OrderKeys, update: OrderUpdate): void {
  const detailKey = keys.detail(update.orderId);
  const detail = queryClient.getQueryData(detailKey) as OrderDetail | undefined;
  if (detail !== undefined && detail.version < update.version) void queryClient.invalidateQueries({ queryKey: detailKey, exact: true });
  const listed = listedVersion(queryClient, keys, update.orderId);
  // Not listed (a new order, or one on a page not loaded): its column may change too.
  if (listed === undefined || listed < update.version) {
    void queryClient.invalidateQueries({ queryKey: keys.board() });
    void queryClient.invalidateQueries({ queryKey: keys.list() });
  }
}

/** The version the board and the orders table show of an order (the lowest, if they differ). */
function listedVersion(queryClient: QueryCache, keys: OrderKeys, orderId: string): number | undefined {
  let version: number | undefined;
  for (const key of [keys.board(), keys.list()]) {
    for (const [, cached] of queryClient.getQueriesData({ queryKey: key })) {
      const data = cached as Listed;
      const pages = data === undefined ? [] : 'pages' in data ? data.pages : [data];
      for (const page of pages) {
        for (const item of page.items) if (item.id === orderId) version = Math.min(version ?? item.version, item.version);
      }
    }
  }
  return version;
}
