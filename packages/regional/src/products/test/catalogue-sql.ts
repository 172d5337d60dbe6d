import type pg from 'pg';
import { asTenant } from '../../../../../test/support/tenant-sql.ts';

/**
 * What the catalogue tests write and read with SQL as the regional owner, one tenant at a time:
 * products in bulk, and orders (built by the orders context, not the catalogue's API).
 */

/** `count` products in one statement: SKUs `SEED-<n>`, names `Product <n>`, price n × 100, active when n is even. */
export async function seedProducts(owner: pg.Client, tenantId: string, count: number, first = 1): Promise<void> {
  await asTenant(
    owner,
    tenantId,
    (client) =>
      client.query(
        `insert into products (tenant_id, sku, name, price_minor, active)
         select $1, 'SEED-' || n, 'Product ' || n, n * 100, n % 2 = 0 from generate_series($2::int, $3::int) as n`,
        [tenantId, first, first + count - 1],
      ),
    'commit',
  );
}

/**
 * An order of a new store with one line of the product, its unit price captured from the product
 * now, as an order's creation does. Answers the order's id.
 */
export async function insertOrderWithLine(owner: pg.Client, tenantId: string, productId: string, quantity: number): Promise<string> {
  return asTenant(
    owner,
    tenantId,
    async (client) => {
      const { rows } = await client.query<{ orderId: string }>(
        `with product as (select price_minor from products where tenant_id = $1 and id = $2),
              store as (insert into stores (tenant_id, name) values ($1, 'Store ' || gen_random_uuid()) returning id),
              placed as (
                insert into orders (tenant_id, number, store_id, customer_name, customer_email, currency,
                                    subtotal_minor, discount_minor, tax_minor, total_minor, line_count, created_by)
                select $1, (select coalesce(max(number), 0) + 1 from orders where tenant_id = $1), store.id, 'Ada Lovelace',
                       'ada@example.com', 'USD', product.price_minor * $3::int, 0, 0, product.price_minor * $3::int, 1, 'test'
                  from store, product
                returning id
              )
         insert into order_lines (tenant_id, order_id, position, product_id, quantity, unit_price_minor)
         select $1, placed.id, 1, $2, $3::int, product.price_minor from placed, product
         returning order_id as "orderId"`,
        [tenantId, productId, quantity],
      );
      if (!rows[0]) throw new Error(`no product ${productId} in tenant ${tenantId}`);
      return rows[0].orderId;
    },
    'commit',
  );
}

export interface StoredOrderLine {
  orderId: string;
  unitPriceMinor: number;
  quantity: number;
  subtotalMinor: number;
  totalMinor: number;
}

/** The order lines of the product, with their orders' totals, as stored. */
export async function orderLinesOf(owner: pg.Client, tenantId: string, productId: string): Promise<StoredOrderLine[]> {
  return asTenant(owner, tenantId, async (client) => {
    const { rows } = await client.query<StoredOrderLine>(
      `select l.order_id as "orderId", l.unit_price_minor::float8 as "unitPriceMinor", l.quantity,
              o.subtotal_minor::float8 as "subtotalMinor", o.total_minor::float8 as "totalMinor"
         from order_lines l join orders o on o.tenant_id = l.tenant_id and o.id = l.order_id
        where l.tenant_id = $1 and l.product_id = $2
        order by l.order_id`,
      [tenantId, productId],
    );
    return rows;
  });
}

/** How many products the tenant has. */
export async function countProducts(owner: pg.Client, tenantId: string): Promise<number> {
  return asTenant(owner, tenantId, async (client) => (await client.query<{ count: number }>('select count(*)::int as count from products')).rows[0]!.count);
}

/** Sets the tenant's currency in the region's copy of the tenant (as a later `tenant.created` could). */
export async function setTenantCurrency(owner: pg.Client, tenantId: string, currency: string): Promise<void> {
  await asTenant(owner, tenantId, (client) => client.query(`update tenants set currency = $2 where tenant_id = $1`, [tenantId, currency]), 'commit');
}
