import type { TenantApi } from '../../api/client.ts';

/** The webhook and dead-letter routes of `/api/v1` (admins), as the pages use them. */

export const WEBHOOK_EVENT_TYPES = ['order.created', 'order.changed', 'order.status_changed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  status: 'active' | 'disabled';
  previousSecretExpiresAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Registration's and rotation's answer: the secret, this once only. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: 'delivered' | 'failed';
  statusCode: number | null;
  durationMs: number;
  errorCode: string | null;
  createdAt: string;
}

export interface DeadLetter {
  id: string;
  consumer: string;
  eventId: string;
  type: string;
  attempts: number;
  lastErrorCode: string;
  lastErrorAt: string;
  status: 'open' | 'replayed' | 'discarded';
  version: number;
}

export interface DeadLetterDetail extends DeadLetter {
  occurredAt: string;
  payload: unknown;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const endpointPath = (id: string) => `/webhooks/${encodeURIComponent(id)}`;
const deadLetterPath = (id: string) => `/dead-letters/${encodeURIComponent(id)}`;

export function webhooksApi(api: TenantApi) {
  return {
    endpoints: () => api.request<Page<WebhookEndpoint>>('/webhooks?limit=200'),
    register: (body: { url: string; eventTypes: string[]; description: string }) => api.request<WebhookEndpointWithSecret>('/webhooks', { method: 'POST', body }),
    change: (endpoint: WebhookEndpoint, body: { status: 'active' | 'disabled' }) =>
      api.request<WebhookEndpoint>(endpointPath(endpoint.id), { method: 'PATCH', body: { ...body, version: endpoint.version } }),
    remove: (endpoint: WebhookEndpoint) => api.request<void>(`${endpointPath(endpoint.id)}?version=${endpoint.version}`, { method: 'DELETE' }),
    rotateSecret: (endpoint: WebhookEndpoint) => api.request<WebhookEndpointWithSecret>(`${endpointPath(endpoint.id)}/rotate-secret`, { method: 'POST', body: {} }),
    deliveries: (endpointId: string) => api.request<Page<WebhookDelivery>>(`${endpointPath(endpointId)}/deliveries?limit=50`),
    deadLetters: (status: DeadLetter['status']) => api.request<Page<DeadLetter>>(`/dead-letters?status=${status}&limit=200`),
    deadLetter: (id: string) => api.request<DeadLetterDetail>(deadLetterPath(id)),
    replay: (id: string) => api.request<DeadLetterDetail>(`${deadLetterPath(id)}/replay`, { method: 'POST', body: {} }),
    discard: (id: string) => api.request<DeadLetterDetail>(`${deadLetterPath(id)}/discard`, { method: 'POST', body: {} }),
  };
}
