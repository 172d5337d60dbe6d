import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { keel } from '../../api/keel.ts';
import type { TenantApi } from '../../api/client.ts';
import type { OrderDetail, OrderStatus } from '../../api/types.ts';
import { useOrganization, useTenantApi, useTenantKey } from '../../session/organization.tsx';

/** What `POST /api/v1/orders` takes (specs/orders.md): the server prices it. */
export interface NewOrderBody {
  storeId: string;
  customer: { name: string; email: string };
  lines: { productId: string; quantity: number }[];
  discountMinor: number;
  taxMinor: number;
}

/** Query keys of the orders pages, scoped to the organization of the URL. */
export function useOrderKeys() {
  const key = useTenantKey();
  return {
    all: key('orders'),
    detail: (orderId: string) => key('orders', 'detail', orderId),
    board: (status?: OrderStatus) => (status === undefined ? key('orders', 'board') : key('orders', 'board', status)),
    list: (filters?: unknown) => (filters === undefined ? key('orders', 'list') : key('orders', 'list', filters)),
    people: key('orders-people'),
  };
}

/** Order ids are UUIDs: anything else names no order, and is not asked for. */
export const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function useOrderDetail(orderId: string) {
  const api = useTenantApi();
  const keys = useOrderKeys();
  return useQuery({ queryKey: keys.detail(orderId), queryFn: () => api.order(orderId), enabled: ORDER_ID.test(orderId) });
}

/** Creates an order; the same key with the same body never creates a second one (ORD-012). */
export function createOrder(api: TenantApi, body: NewOrderBody, idempotencyKey: string): Promise<OrderDetail> {
  return api.request<OrderDetail>('/orders', { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } });
}

export function saveNotes(api: TenantApi, orderId: string, notes: string, version: number): Promise<OrderDetail> {
  return api.request<OrderDetail>(`/orders/${encodeURIComponent(orderId)}`, { method: 'PATCH', body: { notes, version } });
}

export interface Move {
  orderId: string;
  to: OrderStatus;
  /** The version the page shows the order at: a stale one is refused (409 VERSION_CONFLICT), never applied. */
  version: number;
}

/**
 * Moves an order to another status. Either way the lists are refetched; a refusal also refetches
 * the order, so the page shows it as it is now next to the refusal's message.
 */
export function useMoveOrder() {
  const api = useTenantApi();
  const keys = useOrderKeys();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (move: Move) => api.request<OrderDetail>(`/orders/${encodeURIComponent(move.orderId)}/status`, { method: 'POST', body: { status: move.to, version: move.version } }),
    onSuccess: (order) => queryClient.setQueryData(keys.detail(order.id), order),
    onError: (_error, move) => queryClient.invalidateQueries({ queryKey: keys.detail(move.orderId) }),
    onSettled: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: keys.board() }), queryClient.invalidateQueries({ queryKey: keys.list() })]);
    },
  });
}

/** `by` of a status history entry: a member's user id, `apikey:<id>`, or `demo` (the sample data). */
export type Actor = { kind: 'member'; name: string } | { kind: 'apiKey' } | { kind: 'sampleData' } | { kind: 'formerMember' } | { kind: 'pending' };

/** Names of the organization's members, to say who changed an order. */
export function useActors(): (by: string) => Actor {
  const organization = useOrganization();
  const keys = useOrderKeys();
  const members = useQuery({ queryKey: keys.people, queryFn: () => keel.central.members(organization.id), staleTime: 60_000 });
  return (by) => {
    if (by.startsWith('apikey:')) return { kind: 'apiKey' };
    if (by === 'demo') return { kind: 'sampleData' };
    if (members.isPending) return { kind: 'pending' };
    const member = members.data?.items.find((candidate) => candidate.userId === by);
    return member === undefined ? { kind: 'formerMember' } : { kind: 'member', name: member.name };
  };
}

/** A fresh `Idempotency-Key`: random, unguessable, one per submission of a form. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; a page served over plain http still gets 122 random bits.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
