import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '@keel/kernel';
import { products } from '../schema.ts';
import { createOrderIn, rethrowOrderWriteError } from '../orders/create-order.ts';
import { createOrderBody } from '../orders/schemas.ts';
import { integerCell, validationRejection, type ImportKindDefinition, type Rejection } from './import-kind.ts';

const COLUMNS: Record<string, string> = { storeId: 'store_id', discountMinor: 'discount_minor', taxMinor: 'tax_minor', notes: 'notes' };

/**
 * `store_id,customer_name,customer_email,sku,quantity[,discount_minor,tax_minor,notes]`: one order
 * of one line per row, created by the orders context itself (createOrderIn) in a savepoint per row,
 * so every order rule holds — gapless numbers, totals from current prices, the plan's orders per
 * month — and a refused row rolls back alone, with the code the API would have answered.
 */
export const ordersImport: ImportKindDefinition = {
  kind: 'orders-csv',
  required: ['store_id', 'customer_name', 'customer_email', 'sku', 'quantity'],
  optional: ['discount_minor', 'tax_minor', 'notes'],
  async importRows(tx, tenantId, rows, context) {
    const skus = [...new Set(rows.map(({ values }) => values.sku?.trim().toLowerCase() ?? ''))].filter(Boolean);
    const found =
      skus.length === 0
        ? []
        : await tx
            .select({ id: products.id, sku: sql<string>`lower(${products.sku})` })
            .from(products)
            .where(and(eq(products.tenantId, tenantId), inArray(sql`lower(${products.sku})`, skus)));
    const productIds = new Map(found.map((product) => [product.sku, product.id]));
    const rejections: Rejection[] = [];
    let imported = 0;
    for (const { row, values } of rows) {
      const productId = productIds.get(values.sku?.trim().toLowerCase() ?? '');
      if (productId === undefined) {
        rejections.push({ row, code: 'ORDER_PRODUCT_NOT_FOUND', field: 'sku' });
        continue;
      }
      const parsed = createOrderBody.safeParse({
        storeId: values.store_id?.trim(),
        customer: { name: values.customer_name, email: values.customer_email?.trim() },
        lines: [{ productId, quantity: integerCell(values.quantity) }],
        ...optionalAmount('discountMinor', values.discount_minor),
        ...optionalAmount('taxMinor', values.tax_minor),
        ...(values.notes === undefined ? {} : { notes: values.notes }),
      });
      if (!parsed.success) {
        rejections.push(validationRejection(row, parsed.error, columnOf));
        continue;
      }
      try {
        await tx.transaction(async (savepoint) => {
          try {
            await createOrderIn(savepoint, tenantId, { body: parsed.data, subject: context.subject, now: context.now });
          } catch (error) {
            if (error instanceof AppError) throw error;
            rethrowOrderWriteError(error);
          }
        });
        imported += 1;
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        rejections.push({ row, code: error.code, field: fieldOf(error) });
      }
    }
    return { imported, rejections };
  },
};

function optionalAmount(name: 'discountMinor' | 'taxMinor', value: string | undefined) {
  return value === undefined || value.trim() === '' ? {} : { [name]: integerCell(value) };
}

function columnOf(path: PropertyKey[]): string | undefined {
  if (path[0] === 'customer') return `customer_${String(path[1])}`;
  if (path[0] === 'lines') return path[2] === 'quantity' ? 'quantity' : 'sku';
  return COLUMNS[String(path[0])];
}

/** `body.storeId` → `store_id`, from the error's details as the API would answer them. */
function fieldOf(error: AppError): string | null {
  const path = error.details?.[0]?.path.split('.').slice(1) ?? [];
  return path.length === 0 ? null : (columnOf(path) ?? null);
}
