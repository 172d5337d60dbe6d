import { requestJson, type JsonRequest } from '../../api/http.ts';

/**
 * Plans and the organization's subscription (central, with the session cookie; owners only) —
 * the shapes of packages/central/src/subscriptions/schemas.ts and, for the region's figures,
 * packages/regional/src/plans/usage-schemas.ts. Every failure is thrown as an ApiError.
 */
export const PLAN_IDS = ['free', 'pro', 'platinum'] as const;
export type PlanId = (typeof PLAN_IDS)[number];

/** The limits of a plan, by name; `null` is unlimited. */
export const LIMIT_NAMES = ['stores', 'members', 'ordersPerMonth', 'importRowsPerMonth', 'webhookEndpoints', 'apiKeys'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
export type PlanLimits = Record<LimitName, number | null>;

export interface Plan {
  id: PlanId;
  name: string;
  /** Per month, in minor units of `currency`; 0 for Free. */
  priceMinor: number;
  currency: string;
  limits: PlanLimits;
}

export interface Subscription {
  organizationId: string;
  plan: PlanId;
  limits: PlanLimits;
  status: 'active' | 'ended';
  currentPeriodStart: string;
  /** null on Free. */
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  pendingPlan: PlanId | null;
  revision: number;
  /** members and apiKeys counted by central now; the others from the region's last report (null before one). */
  usage: Record<LimitName, number | null> & { measuredAt: string | null };
}

/** `GET /api/v1/usage`: what the home region enforces and counts, now. */
export interface RegionUsage {
  plan: PlanId;
  limits: PlanLimits;
  access: 'active' | 'ended';
  usage: { stores: number; ordersThisMonth: number; importRowsThisMonth: number; webhookEndpoints: number };
  today: Record<string, number>;
}

function withSession<T>(path: string, request: JsonRequest = {}): Promise<T> {
  return requestJson<T>((url, init) => globalThis.fetch(url, init), path, { ...request, credentials: 'include' });
}

const subscription = (organizationId: string) => `/api/central/organizations/${encodeURIComponent(organizationId)}/subscription`;

export const billingApi = {
  plans: () => withSession<{ items: Plan[] }>('/api/central/plans'),
  subscription: (organizationId: string) => withSession<Subscription>(subscription(organizationId)),
  upgrade: (organizationId: string, plan: PlanId) => withSession<Subscription>(`${subscription(organizationId)}/upgrade`, { method: 'POST', body: { plan } }),
  downgrade: (organizationId: string, plan: PlanId) => withSession<Subscription>(`${subscription(organizationId)}/downgrade`, { method: 'POST', body: { plan } }),
  cancel: (organizationId: string) => withSession<Subscription>(`${subscription(organizationId)}/cancel`, { method: 'POST' }),
  resume: (organizationId: string) => withSession<Subscription>(`${subscription(organizationId)}/resume`, { method: 'POST' }),
};

/**
 * The figure each limit counts: the region's live figures where it answered, central's otherwise
 * (members and API keys are central's). `null`: not measured yet.
 */
export function usageFigures(subscription: Subscription, region: RegionUsage | undefined): Record<LimitName, number | null> {
  const { usage } = subscription;
  return {
    stores: region?.usage.stores ?? usage.stores,
    members: usage.members,
    ordersPerMonth: region?.usage.ordersThisMonth ?? usage.ordersPerMonth,
    importRowsPerMonth: region?.usage.importRowsThisMonth ?? usage.importRowsPerMonth,
    webhookEndpoints: region?.usage.webhookEndpoints ?? usage.webhookEndpoints,
    apiKeys: usage.apiKeys,
  };
}
