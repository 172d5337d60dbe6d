import { sql } from 'drizzle-orm';
import { PRODUCT_EVENT_TYPES, productEvents } from '../products/product-events.ts';
import { createProductBody, type CreateProductInput } from '../products/schemas.ts';
import { integerCell, validationRejection, type ImportKindDefinition, type Rejection } from './import-kind.ts';

const COLUMNS: Record<string, string> = { sku: 'sku', name: 'name', priceMinor: 'price_minor', active: 'active' };

/**
 * `sku,name,price_minor[,active]`: each valid row creates a product with the API's own schema
 * (createProductBody). A SKU the tenant already has, or one an earlier row of the file took, is
 * rejected with PRODUCT_SKU_TAKEN: one multi-row insert that skips conflicts, so the batch costs
 * one statement whatever its size; its `product.created` events go to the outbox in one insert.
 */
export const productsImport: ImportKindDefinition = {
  kind: 'products-csv',
  required: ['sku', 'name', 'price_minor'],
  optional: ['active'],
  async importRows(tx, tenantId, rows) {
    const rejections: Rejection[] = [];
    const valid: { row: number; input: CreateProductInput }[] = [];
    for (const { row, values } of rows) {
      const parsed = createProductBody.safeParse({
        sku: values.sku?.trim(),
        name: values.name,
        priceMinor: integerCell(values.price_minor),
        ...(values.active === undefined || values.active.trim() === '' ? {} : { active: booleanCell(values.active) }),
      });
      if (parsed.success) valid.push({ row, input: parsed.data });
      else rejections.push(validationRejection(row, parsed.error, (path) => COLUMNS[String(path[0])]));
    }
    if (valid.length === 0) return { imported: 0, rejections };
    // One parameter for the whole batch (a JSON array): a multi-row VALUES would bind 5 per row.
    const rowsJson = JSON.stringify(valid.map(({ input }) => ({ sku: input.sku, name: input.name, price_minor: input.priceMinor, active: input.active ?? true })));
    const result = await tx.execute<{ id: string; sku: string; name: string; price_minor: string; active: boolean; version: number }>(sql`
      insert into products (tenant_id, sku, name, price_minor, active)
      select ${tenantId}::uuid, sku, name, price_minor, active from jsonb_to_recordset(${rowsJson}::jsonb) as row(sku text, name text, price_minor bigint, active boolean)
      on conflict do nothing
      returning id, sku, name, price_minor, active, version`);
    const inserted = result.rows.map((row) => ({ id: row.id, sku: row.sku, name: row.name, priceMinor: Number(row.price_minor), active: row.active, version: row.version }));
    const unclaimed = new Set(inserted.map((product) => product.sku.toLowerCase()));
    for (const { row, input } of valid) {
      if (!unclaimed.delete(input.sku.toLowerCase())) rejections.push({ row, code: 'PRODUCT_SKU_TAKEN', field: 'sku' });
    }
    return { imported: inserted.length, rejections, events: productEvents(PRODUCT_EVENT_TYPES.created, inserted) };
  },
};

/** `true/false`, `yes/no`, `1/0` in any letter case; anything else is refused by the schema. */
function booleanCell(value: string): boolean | string {
  const normalized = value.trim().toLowerCase();
  if (['true', 'yes', '1'].includes(normalized)) return true;
  if (['false', 'no', '0'].includes(normalized)) return false;
  return value;
}
