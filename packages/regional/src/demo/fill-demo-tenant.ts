import { CENTRAL_EVENT_TYPES, demoDataRequestedPayload } from '@keel/central/contracts';
import type { TenantTransaction } from '@keel/kernel';
import { defineCentralEventConsumer } from '../central-feed/define-central-event-consumer.ts';
import { orderLines, orderNumbers, orders, orderStatusChanges, products, reviews, stores } from '../schema.ts';
import { tenantSettings } from '../tenants/tenant-settings.ts';
import { sampleData, type SampleData } from './sample-data.ts';

/** Who the sample data's orders and status changes are by. */
const DEMO_ACTOR = 'demo';

/**
 * Fills a demo tenant with sample data when central asks (`keel start`'s seed), in one transaction
 * with the ledger row: all of it or none, once. Until its `tenant.created` is applied the tenant
 * row is missing and the attempt fails (503 TENANT_PROVISIONING), to be retried.
 */
export const fillDemoTenant = defineCentralEventConsumer({
  name: 'demo-data',
  eventType: CENTRAL_EVENT_TYPES.demoDataRequested,
  payload: demoDataRequestedPayload,
  async handle({ tx, tenantId, payload }) {
    const { currency } = await tenantSettings(tx, tenantId);
    await insertSampleData(tx, tenantId, currency, sampleData(payload.profile, new Date(payload.asOf)));
  },
});

export async function insertSampleData(tx: TenantTransaction, tenantId: string, currency: string, data: SampleData): Promise<void> {
  const storeIds = (await tx.insert(stores).values(data.stores.map((store) => ({ tenantId, name: store.name }))).returning({ id: stores.id })).map((row) => row.id);
  const productRows = await tx
    .insert(products)
    .values(data.products.map((product) => ({ tenantId, ...product })))
    .returning({ id: products.id, priceMinor: products.priceMinor });

  const priced = data.orders.map((order, index) => {
    const lines = order.lines.map((line, position) => ({ position: position + 1, productId: productRows[line.product]!.id, quantity: line.quantity, unitPriceMinor: productRows[line.product]!.priceMinor }));
    const subtotalMinor = lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0);
    const discountMinor = Math.min(order.discountMinor, subtotalMinor);
    const taxMinor = Math.round(((subtotalMinor - discountMinor) * order.taxRateBasisPoints) / 10_000);
    const last = order.path.at(-1)!;
    return {
      row: {
        tenantId,
        number: index + 1,
        storeId: storeIds[order.store]!,
        customerName: order.customerName,
        customerEmail: order.customerEmail,
        status: last.status,
        currency,
        subtotalMinor,
        discountMinor,
        taxMinor,
        totalMinor: subtotalMinor - discountMinor + taxMinor,
        lineCount: lines.length,
        notes: order.notes,
        createdBy: DEMO_ACTOR,
        version: order.path.length,
        createdAt: order.createdAt,
        updatedAt: last.at,
      },
      lines,
      path: order.path,
    };
  });
  if (priced.length === 0) return;
  const orderIds = (await tx.insert(orders).values(priced.map((order) => order.row)).returning({ id: orders.id })).map((row) => row.id);
  await tx.insert(orderNumbers).values({ tenantId, lastNumber: priced.length });
  await tx.insert(orderLines).values(priced.flatMap((order, index) => order.lines.map((line) => ({ tenantId, orderId: orderIds[index]!, ...line }))));
  await tx.insert(orderStatusChanges).values(
    priced.flatMap((order, index) =>
      order.path.map((step, position) => ({ tenantId, orderId: orderIds[index]!, fromStatus: position === 0 ? null : order.path[position - 1]!.status, toStatus: step.status, changedBy: DEMO_ACTOR, changedAt: step.at })),
    ),
  );
  if (data.reviews.length > 0) {
    await tx.insert(reviews).values(data.reviews.map((review) => ({ tenantId, storeId: storeIds[review.store]!, rating: review.rating, body: review.body, authorName: review.authorName, createdAt: review.createdAt })));
  }
}
