import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { keel } from '../api/keel.ts';
import { useOrderKeys } from '../components/orders/order-api.ts';
import { sessionQuery } from '../session/queries.ts';
import { useOrganization } from '../session/organization.tsx';
import { applyOrderUpdate } from './order-cache.ts';
import { createLiveConnection, type Activity, type LiveConnection, type LiveStatus, type NotesChange, type OrderUpdate, type PresenceMember, type RoomHandle } from './live-connection.ts';

/** A page that leaves keeps the tenant's connection this long, for the next page to take over. */
const CLOSE_AFTER_MS = 5_000;

interface Shared {
  connection: LiveConnection;
  users: number;
  closing: ReturnType<typeof setTimeout> | undefined;
}

const connections = new Map<string, Shared>();

/** The tenant's connection, opened on first use; closed once no mounted component uses it for a while. */
function connectionOf(tenantId: string, region: string): Shared {
  const existing = connections.get(tenantId);
  if (existing !== undefined) return existing;
  const shared: Shared = { connection: createLiveConnection({ region, token: (refused) => keel.tokens.get(tenantId, refused) }), users: 0, closing: undefined };
  connections.set(tenantId, shared);
  // A render that never mounts leaves no connection behind.
  scheduleClose(tenantId, shared);
  return shared;
}

function scheduleClose(tenantId: string, shared: Shared): void {
  clearTimeout(shared.closing);
  shared.closing = setTimeout(() => {
    if (shared.users > 0) return;
    shared.connection.close();
    connections.delete(tenantId);
  }, CLOSE_AFTER_MS);
}

/** Counts a mounted user of the connection; the answer lets it go. */
function holdConnection(tenantId: string, shared: Shared): () => void {
  shared.users += 1;
  clearTimeout(shared.closing);
  return () => {
    shared.users -= 1;
    if (shared.users === 0) scheduleClose(tenantId, shared);
  };
}

/** The organization's live connection (one per tenant, shared by the components using it). */
function useLiveConnection(): LiveConnection {
  const { id, region } = useOrganization();
  const shared = useMemo(() => connectionOf(id, region), [id, region]);
  useEffect(() => holdConnection(id, shared), [id, shared]);
  return shared.connection;
}

export interface LiveView {
  status: LiveStatus;
  /** The signed-in account's user id (a subject). */
  me: string | undefined;
  /** Everyone in the room but the signed-in account. */
  others: readonly PresenceMember[];
  /** In an order's room: the order's last notes change seen live (its version, and who made it). */
  notesChange: NotesChange | undefined;
  /** Every order event of the tenant, after the query cache took it in. */
  onOrder(listener: (update: OrderUpdate) => void): () => void;
}

/**
 * The page is in `room` (`board`, `order:<id>`) doing `activity`, with the tenant's live events
 * kept in the query cache: an event newer than what is shown refetches it, and after any
 * reconnect every order query is refetched, so the view equals the database (WEB-070..WEB-076).
 */
export function useLiveView(room: string | undefined, activity: Activity): LiveView {
  const connection = useLiveConnection();
  const handle = useRef<RoomHandle | undefined>(undefined);
  const activityNow = useRef(activity);
  useEffect(() => {
    activityNow.current = activity;
    handle.current?.setActivity(activity);
  }, [activity]);
  const me = useQuery(sessionQuery).data?.user.id;
  useOrderCacheSync(connection);

  useEffect(() => {
    if (room === undefined) return;
    const entered = connection.enter(room, activityNow.current);
    handle.current = entered;
    return () => {
      entered.leave();
      handle.current = undefined;
    };
  }, [connection, room]);

  const subscribe = connection.subscribe;
  const status = useSyncExternalStore(subscribe, connection.status);
  const members = useSyncExternalStore(subscribe, () => (room === undefined ? undefined : connection.members(room)));
  const orderId = room?.startsWith('order:') ? room.slice('order:'.length) : undefined;
  const notesChange = useSyncExternalStore(subscribe, () => (orderId === undefined ? undefined : connection.notesChange(orderId)));
  const onOrder = useCallback((listener: (update: OrderUpdate) => void) => connection.onOrder(listener), [connection]);
  return {
    status,
    me,
    others: (members ?? []).filter((member) => member.subject !== me),
    notesChange,
    onOrder,
  };
}

/**
 * The tenant's import events: each one makes `queryKey` (the imports list, or one import) read
 * again, and so does every reconnect. Answers whether the connection is live: polling is needed
 * only while it is not (WEB-092).
 */
export function useLiveImports(queryKey: readonly unknown[]): boolean {
  const connection = useLiveConnection();
  const queryClient = useQueryClient();
  const keyNow = useRef(queryKey);
  useEffect(() => {
    keyNow.current = queryKey;
  });
  useEffect(() => {
    const refetch = () => void queryClient.invalidateQueries({ queryKey: keyNow.current });
    const offImport = connection.onImport(refetch);
    const offReconnect = connection.onReconnect(refetch);
    return () => {
      offImport();
      offReconnect();
    };
  }, [connection, queryClient]);
  return useSyncExternalStore(connection.subscribe, connection.status) === 'live';
}

/** Applies the tenant's order events to the cached orders, only when newer than what is cached. */
function useOrderCacheSync(connection: LiveConnection): void {
  const queryClient = useQueryClient();
  const keys = useOrderKeys();
  const keysNow = useRef(keys);
  useEffect(() => {
    keysNow.current = keys;
  });
  useEffect(() => {
    const offOrder = connection.onOrder((update) => applyOrderUpdate(queryClient, keysNow.current, update));
    const offReconnect = connection.onReconnect(() => void queryClient.invalidateQueries({ queryKey: keysNow.current.all }));
    return () => {
      offOrder();
      offReconnect();
    };
  }, [connection, queryClient]);
}
