import { seededRandom } from '@keel/kernel';
import type { OrderStatus } from '../orders/schema.ts';
import { allowedTransitions } from '../orders/status-machine.ts';

/** How much sample data a demo tenant gets (`tenant.demo_data_requested`). */
export const SAMPLE_SIZES = {
  full: { stores: 3, products: 40, orders: 500, reviews: 120 },
  small: { stores: 1, products: 6, orders: 12, reviews: 5 },
} as const;

export type SampleProfile = keyof typeof SAMPLE_SIZES;

const STORE_NAMES = ['Downtown', 'Harbor Front', 'Airport', 'Old Town', 'Riverside'];
const PRODUCT_WORDS = ['Canvas', 'Leather', 'Linen', 'Ceramic', 'Walnut', 'Copper', 'Wool', 'Cotton', 'Bamboo', 'Glass'];
const PRODUCT_KINDS = ['Tote', 'Mug', 'Lamp', 'Notebook', 'Scarf', 'Candle', 'Bowl', 'Blanket', 'Vase', 'Apron', 'Planter', 'Tray'];
const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Diego', 'Emma', 'Farid', 'Grace', 'Hugo', 'Iris', 'Jonas', 'Keiko', 'Liam', 'Maya', 'Noah', 'Olga', 'Pablo'];
const LAST_NAMES = ['Garcia', 'Smith', 'Müller', 'Rossi', 'Dubois', 'Tanaka', 'Novak', 'Silva', 'Kowalski', 'Jensen'];
const REVIEW_TEXTS = [
  'Friendly staff and quick checkout.',
  'Great selection, a little pricey.',
  'Found exactly what I needed.',
  'The order arrived later than promised.',
  'Lovely shop, will come back.',
  'Packaging could be better.',
];

export interface SampleStore { name: string }
export interface SampleProduct { sku: string; name: string; priceMinor: number; active: boolean }
export interface SampleLine { product: number; quantity: number }
export interface SampleOrder {
  store: number;
  customerName: string;
  customerEmail: string;
  lines: SampleLine[];
  discountMinor: number;
  /** Basis points of (subtotal − discount). */
  taxRateBasisPoints: number;
  createdAt: Date;
  /** From PENDING to the order's status, one step per entry, each later than the one before. */
  path: { status: OrderStatus; at: Date }[];
  notes: string;
}
export interface SampleReview { store: number; rating: number; body: string; authorName: string; createdAt: Date }

export interface SampleData {
  stores: SampleStore[];
  products: SampleProduct[];
  orders: SampleOrder[];
  reviews: SampleReview[];
}

const DAY_MS = 86_400_000;

/**
 * Deterministic sample data for a demo tenant (the same seed gives the same data): orders spread
 * over the 90 days before `asOf`, every status represented, older orders further along.
 */
export function sampleData(profile: SampleProfile, asOf: Date, seed = 42): SampleData {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const sizes = SAMPLE_SIZES[profile];
  const stores = STORE_NAMES.slice(0, sizes.stores).map((name) => ({ name }));
  const products = Array.from({ length: sizes.products }, (_, index) => ({
    sku: `SKU-${String(index + 1).padStart(3, '0')}`,
    name: `${PRODUCT_WORDS[index % PRODUCT_WORDS.length]} ${PRODUCT_KINDS[Math.floor(index / PRODUCT_WORDS.length) % PRODUCT_KINDS.length]}`,
    priceMinor: 500 + Math.floor(random() * 196) * 50,
    // One product in twenty is retired: it shows in lists but cannot be ordered.
    active: index % 20 !== 19,
  }));
  const orderable = products.flatMap((product, index) => (product.active ? [index] : []));
  const orders = Array.from({ length: sizes.orders }, (_, index): SampleOrder => {
    const createdAt = new Date(asOf.getTime() - (1 - index / sizes.orders) * 90 * DAY_MS - random() * DAY_MS * 0.5);
    const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({ product: pick(orderable), quantity: 1 + Math.floor(random() * 3) }));
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    return {
      store: index % stores.length,
      customerName: `${first} ${last}`,
      customerEmail: `${first}.${last}.${index}@example.com`.toLowerCase().replace('ü', 'ue'),
      lines,
      discountMinor: random() < 0.2 ? 500 : 0,
      taxRateBasisPoints: 800,
      createdAt,
      path: statusPath(index, createdAt, asOf, random),
      notes: random() < 0.1 ? 'Gift wrap, please.' : '',
    };
  });
  const reviews = Array.from({ length: sizes.reviews }, (_, index) => ({
    store: index % stores.length,
    rating: Math.min(5, 2 + Math.floor(random() * 4) + (random() < 0.3 ? 1 : 0)),
    body: pick(REVIEW_TEXTS),
    authorName: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES).charAt(0)}.`,
    createdAt: new Date(asOf.getTime() - random() * 90 * DAY_MS),
  }));
  // Lists show the newest first by id (UUIDv7, made at insertion): insert in time order.
  const byTime = (a: { createdAt: Date }, b: { createdAt: Date }) => a.createdAt.getTime() - b.createdAt.getTime();
  return { stores, products, orders: orders.toSorted(byTime), reviews: reviews.toSorted(byTime) };
}

/** Recent orders are mostly early in the flow, old ones delivered; some cancelled, a few returned. */
function statusPath(index: number, createdAt: Date, asOf: Date, random: () => number): { status: OrderStatus; at: Date }[] {
  const ageDays = (asOf.getTime() - createdAt.getTime()) / DAY_MS;
  const roll = random();
  const target: OrderStatus =
    index % 25 === 0 ? 'CANCELLED'
    : index % 40 === 1 ? 'RETURNED'
    : index % 40 === 2 ? 'RETURN_REQUESTED'
    : ageDays < 2 ? (roll < 0.5 ? 'PENDING' : 'CONFIRMED')
    : ageDays < 5 ? (roll < 0.5 ? 'PACKED' : 'SHIPPED')
    : ageDays < 10 ? (roll < 0.3 ? 'SHIPPED' : 'DELIVERED')
    : 'DELIVERED';
  const path: { status: OrderStatus; at: Date }[] = [{ status: 'PENDING', at: createdAt }];
  const step = Math.max(1, Math.min(ageDays / 8, 1) * DAY_MS * 0.9);
  while (path.at(-1)!.status !== target) {
    const current = path.at(-1)!;
    const next = target === 'CANCELLED' ? 'CANCELLED' : allowedTransitions(current.status).find((status) => status !== 'CANCELLED')!;
    path.push({ status: next, at: new Date(Math.min(current.at.getTime() + step, asOf.getTime())) });
  }
  return path;
}
