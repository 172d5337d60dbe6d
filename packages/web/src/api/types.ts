/**
 * The shapes Keel's API answers, as the app reads them. The web app imports nothing from the
 * server packages (it talks HTTP only); these mirror the route schemas in packages/central and
 * packages/regional (`schemas.ts` files) and the reference at /api/docs.
 */

export type Role = 'owner' | 'admin' | 'member';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Items<T> {
  items: T[];
}

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
}

/** better-auth's `get-session` answer; null when signed out. */
export interface Session {
  user: SessionUser;
  session: { id: string; expiresAt: string };
}

export interface AuthSession {
  id: string;
  token: string;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: string;
  expiresAt: string;
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
  region: string;
  currency: string;
  timezone: string;
  role: Role;
  createdAt: string;
}

export interface CreateOrganizationInput {
  name: string;
  slug: string;
  currency: string;
  timezone: string;
}

export interface AccessToken {
  token: string;
  expiresAt: string;
  region: string;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  invitedBy: { userId: string; name: string };
  expiresAt: string;
  createdAt: string;
}

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: Role;
  expiresAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: 'member' | 'admin';
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: string;
  action: string;
  actor: { userId: string; email: string | null; name: string | null } | { apiKeyId: string } | null;
  details: Record<string, unknown>;
  requestId: string | null;
  occurredAt: string;
}

export interface Store {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  reviewCount: number;
  averageRating: number | null;
  openOrders: number;
  revenueThisMonthMinor: number;
  currency: string;
}

export interface Review {
  id: string;
  storeId: string;
  rating: number;
  body: string;
  authorName: string;
  createdAt: string;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  priceMinor: number;
  currency: string;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Null when the product has no image (specs/catalog.md, CAT-046). */
  image: ProductImage | null;
}

export type ProductImageState = 'awaiting_upload' | 'processing' | 'ready' | 'failed';

export interface ProductImage {
  id: string;
  state: ProductImageState;
  /** Ready images: `/api/v1/…/thumbnail?v=<image>`, read with the tenant's bearer token. */
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
  failureCode: string | null;
  version: number;
  updatedAt: string;
}

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'PACKED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'RETURN_REQUESTED', 'RETURNED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderListItem {
  id: string;
  number: number;
  status: OrderStatus;
  store: { id: string; name: string };
  customer: { name: string; email: string };
  lineCount: number;
  totalMinor: number;
  currency: string;
  createdAt: string;
  version: number;
}

export interface OrderDetail {
  id: string;
  number: number;
  status: OrderStatus;
  allowedTransitions: OrderStatus[];
  store: { id: string; name: string };
  customer: { name: string; email: string };
  lines: { position: number; productId: string; productName: string; sku: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number }[];
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
  currency: string;
  notes: string;
  version: number;
  statusHistory: { from: OrderStatus | null; to: OrderStatus; by: string; at: string }[];
  createdAt: string;
  updatedAt: string;
}
