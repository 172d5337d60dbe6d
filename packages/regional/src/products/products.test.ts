import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { insertOrderWithLine, orderLinesOf, seedProducts, setTenantCurrency } from './test/catalogue-sql.ts';

/** The catalogue API of the regional layer (specs/catalog.md), through the composed app. */

let keel: TestKeel;
/** The regional owner: seeds rows and reads orders with SQL, one tenant at a time (`asTenant`). */
let owner: pg.Client;

beforeAll(async () => {
  keel = await startTestKeel();
  owner = new pg.Client({ connectionString: keel.databases.regional.owner });
  await owner.connect();
});

afterAll(async () => {
  await owner?.end();
  await keel?.stop();
});

describe('CAT-001 SKUs', () => {
  it.each(['A', 'sku-1_2.3', 'Z'.repeat(64), '0.9-beta_RC'])('CAT-001 accepts the SKU "%s" as given', async (sku) => {
    const tenant = await newTenant();
    expect((await createProduct(tenant, { sku })).sku).toBe(sku);
  });

  it.each<{ kind: string; sku: unknown }>([
    { kind: 'empty', sku: '' },
    { kind: 'a space', sku: 'AB C' },
    { kind: 'padded with spaces', sku: ' ABC ' },
    { kind: '65 characters', sku: 'Z'.repeat(65) },
    { kind: 'a non-ASCII letter', sku: 'CAFÉ-1' },
    { kind: 'a slash', sku: 'A/B' },
    { kind: 'a LIKE wildcard', sku: 'A%B' },
    { kind: 'a line break', sku: 'A\nB' },
    { kind: 'a number', sku: 42 },
    { kind: 'null', sku: null },
  ])('CAT-001 refuses a SKU that is $kind (400 VALIDATION_FAILED on body.sku) and writes nothing', async ({ sku }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, { method: 'POST', url: '/products', payload: { ...newProductBody(), sku } }), 400, 'VALIDATION_FAILED', ['body.sku']);
    const product = await createProduct(tenant);
    expectError(await update(tenant, product, { sku }), 400, 'VALIDATION_FAILED', ['body.sku']);
    expect(await listProducts(tenant)).toEqual([product]);
  });

  it('CAT-001 requires a SKU on creation', async () => {
    const tenant = await newTenant();
    const { name, priceMinor } = newProductBody();
    expectError(await api(tenant, { method: 'POST', url: '/products', payload: { name, priceMinor } }), 400, 'VALIDATION_FAILED', ['body.sku']);
    expect(await listProducts(tenant)).toEqual([]);
  });
});

describe('CAT-002 SKUs are unique per tenant in any letter case', () => {
  it.each([
    { taken: 'TEA-001', attempt: 'tea-001' },
    { taken: 'tea-001', attempt: 'TEA-001' },
    { taken: 'Mug.Large', attempt: 'mUG.lARGE' },
  ])('CAT-002 refuses to create "$attempt" when the tenant has "$taken" (409 PRODUCT_SKU_TAKEN)', async ({ taken, attempt }) => {
    const tenant = await newTenant();
    const existing = await createProduct(tenant, { sku: taken });
    expectError(await api(tenant, { method: 'POST', url: '/products', payload: newProductBody({ sku: attempt }) }), 409, 'PRODUCT_SKU_TAKEN');
    expect(await listProducts(tenant)).toEqual([existing]);
  });

  it("CAT-002 refuses to change a product's SKU to another product's, whatever its case, and changes nothing", async () => {
    const tenant = await newTenant();
    const first = await createProduct(tenant, { sku: 'BEANS-1' });
    const second = await createProduct(tenant, { sku: 'BEANS-2' });
    expectError(await update(tenant, second, { sku: 'beans-1', name: 'Renamed too' }), 409, 'PRODUCT_SKU_TAKEN');
    expect(await listProducts(tenant)).toEqual([first, second]);
  });

  it('CAT-002 lets a product take its own SKU in another case', async () => {
    const tenant = await newTenant();
    const product = await createProduct(tenant, { sku: 'filter-v60' });
    const response = await update(tenant, product, { sku: 'FILTER-V60' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ sku: 'FILTER-V60', version: 2 });
  });

  it('CAT-002 lets two tenants use the same SKU', async () => {
    const [first, second] = [await newTenant(), await newTenant()];
    await createProduct(first, { sku: 'SHARED-1' });
    await createProduct(second, { sku: 'shared-1' });
    expect([(await listProducts(first)).map((p) => p.sku), (await listProducts(second)).map((p) => p.sku)]).toEqual([['SHARED-1'], ['shared-1']]);
  });
});

describe('CAT-003 product names', () => {
  it.each([
    { name: 'X', expected: 'X' },
    { name: '  Ethiopian Yirgacheffe, 250 g  ', expected: 'Ethiopian Yirgacheffe, 250 g' },
    { name: 'n'.repeat(200), expected: 'n'.repeat(200) },
    { name: ` ${'n'.repeat(200)} `, expected: 'n'.repeat(200) },
  ])('CAT-003 accepts a name of $expected.length characters after trimming', async ({ name, expected }) => {
    const tenant = await newTenant();
    expect((await createProduct(tenant, { name })).name).toBe(expected);
  });

  it.each<{ kind: string; name: unknown }>([
    { kind: 'empty', name: '' },
    { kind: 'blank', name: '   ' },
    { kind: '201 characters', name: 'n'.repeat(201) },
    { kind: 'with a NUL character', name: 'Tea\u0000Pot' },
    { kind: 'with a line break', name: 'Tea\nPot' },
    { kind: 'a number', name: 7 },
  ])('CAT-003 refuses a name that is $kind (400 VALIDATION_FAILED on body.name) and writes nothing', async ({ name }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, { method: 'POST', url: '/products', payload: { ...newProductBody(), name } }), 400, 'VALIDATION_FAILED', ['body.name']);
    const product = await createProduct(tenant);
    expectError(await update(tenant, product, { name }), 400, 'VALIDATION_FAILED', ['body.name']);
    expect(await listProducts(tenant)).toEqual([product]);
  });
});

describe('CAT-004 prices', () => {
  it.each([0, 1, 1999, 100_000_000_000])('CAT-004 accepts priceMinor %d', async (priceMinor) => {
    const tenant = await newTenant();
    const product = await createProduct(tenant, { priceMinor });
    expect(product.priceMinor).toBe(priceMinor);
    expect(await getProduct(tenant, product.id)).toEqual(product);
  });

  it.each<{ kind: string; priceMinor: unknown }>([
    { kind: 'negative', priceMinor: -1 },
    { kind: 'over 100,000,000,000', priceMinor: 100_000_000_001 },
    { kind: 'beyond safe integers', priceMinor: 2 ** 53 },
    { kind: 'a fraction', priceMinor: 19.99 },
    { kind: 'a numeric string', priceMinor: '1999' },
    { kind: 'null', priceMinor: null },
  ])('CAT-004 refuses a priceMinor that is $kind (400 VALIDATION_FAILED on body.priceMinor) and writes nothing', async ({ priceMinor }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, { method: 'POST', url: '/products', payload: { ...newProductBody(), priceMinor } }), 400, 'VALIDATION_FAILED', ['body.priceMinor']);
    const product = await createProduct(tenant);
    expectError(await update(tenant, product, { priceMinor }), 400, 'VALIDATION_FAILED', ['body.priceMinor']);
    expect(await listProducts(tenant)).toEqual([product]);
  });
});

describe('CAT-005 creating products', () => {
  it('CAT-005 answers 201 with the product at version 1, active, in the tenant currency; reading it answers the same', async () => {
    const tenant = await newTenant();
    const response = await api(tenant, { method: 'POST', url: '/products', payload: { sku: 'TEA-001', name: 'Green tea', priceMinor: 1250 } });
    expect(response.statusCode, response.body).toBe(201);
    const product = response.json<Product>();
    expect(product).toEqual({
      id: expect.stringMatching(UUID),
      sku: 'TEA-001',
      name: 'Green tea',
      priceMinor: 1250,
      currency: 'USD',
      active: true,
      version: 1,
      createdAt: expect.stringMatching(ISO),
      updatedAt: product.createdAt,
      image: null,
    });
    expect(await getProduct(tenant, product.id)).toEqual(product);
  });

  it('CAT-005 creates an inactive product when asked', async () => {
    const tenant = await newTenant();
    const product = await createProduct(tenant, { active: false });
    expect(product).toMatchObject({ active: false, version: 1 });
    expect(await getProduct(tenant, product.id)).toEqual(product);
  });

  it("CAT-005 answers every product with the currency the region holds for the tenant", async () => {
    const tenant = await newTenant();
    await setTenantCurrency(owner, tenant, 'EUR');
    const product = await createProduct(tenant);
    const changed = expectStatus(await update(tenant, product, { priceMinor: 500 }), 200).json<Product>();
    const listed = await listProducts(tenant);
    expect([product.currency, changed.currency, (await getProduct(tenant, product.id)).currency, ...listed.map((p) => p.currency)]).toEqual(['EUR', 'EUR', 'EUR', 'EUR']);
  });
});

describe('CAT-006 TEN-013 a tenant the region has not provisioned yet', () => {
  it('CAT-006 TEN-013 gets 503 TENANT_PROVISIONING with Retry-After on creation, an empty list, and can create once provisioned', async () => {
    const tenant = randomUUID();
    const response = await api(tenant, { method: 'POST', url: '/products', payload: newProductBody() });
    expectError(response, 503, 'TENANT_PROVISIONING');
    expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(expectStatus(await api(tenant, { method: 'GET', url: '/products' }), 200).json()).toEqual({ items: [], nextCursor: null });
    await keel.provisionTenant(tenant);
    expect(await listProducts(tenant)).toEqual([]);
    expect((await createProduct(tenant, { sku: 'EARLY-1' })).sku).toBe('EARLY-1');
  });
});

describe('CAT-007 a product that does not exist', () => {
  it.each(productEndpoints())('CAT-007 $endpoint of an unknown product id answers 404 PRODUCT_NOT_FOUND', async ({ request }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, request({ id: randomUUID(), version: 1 })), 404, 'PRODUCT_NOT_FOUND');
  });

  it.each(productEndpoints())('CAT-007 $endpoint of an id that is not a UUID answers 400 on params.productId', async ({ request }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, request({ id: 'not-a-uuid', version: 1 })), 400, 'VALIDATION_FAILED', ['params.productId']);
  });
});

describe('CAT-008 versioned changes', () => {
  it.each<{ field: string; changes: Partial<Product> }>([
    { field: 'sku', changes: { sku: 'NEW-SKU' } },
    { field: 'name', changes: { name: 'New name' } },
    { field: 'priceMinor', changes: { priceMinor: 4321 } },
    { field: 'active', changes: { active: false } },
    { field: 'all fields', changes: { sku: 'ALL-NEW', name: 'All new', priceMinor: 0, active: false } },
  ])('CAT-008 changes only $field and increments the version by one', async ({ changes }) => {
    const tenant = await newTenant();
    const product = await createProduct(tenant);
    const changed = expectStatus(await update(tenant, product, changes), 200).json<Product>();
    expect(changed).toEqual({ ...product, ...changes, version: 2, updatedAt: expect.stringMatching(ISO) });
    expect(await getProduct(tenant, product.id)).toEqual(changed);
  });

  it('CAT-008 increments the version on each change', async () => {
    const tenant = await newTenant();
    const product = await createProduct(tenant);
    const second = expectStatus(await update(tenant, product, { name: 'Second' }), 200).json<Product>();
    const third = expectStatus(await update(tenant, second, { name: 'Third' }), 200).json<Product>();
    expect([product.version, second.version, third.version]).toEqual([1, 2, 3]);
  });

  it('CAT-008 refuses a change with a stale version (409 VERSION_CONFLICT) and changes nothing', async () => {
    const tenant = await newTenant();
    const stale = await createProduct(tenant);
    const current = expectStatus(await update(tenant, stale, { priceMinor: 800 }), 200).json<Product>();
    expectError(await update(tenant, stale, { priceMinor: 900, name: 'Late' }), 409, 'VERSION_CONFLICT');
    expect(await getProduct(tenant, stale.id)).toEqual(current);
  });

  it('CAT-008 refuses a change with nothing to change (400 VALIDATION_FAILED on body) and keeps the version', async () => {
    const tenant = await newTenant();
    const product = await createProduct(tenant);
    expectError(await api(tenant, { method: 'PATCH', url: `/products/${product.id}`, payload: { version: product.version } }), 400, 'VALIDATION_FAILED', ['body']);
    expect(await getProduct(tenant, product.id)).toEqual(product);
  });

  it.each<{ kind: string; version: unknown; path: string }>([
    { kind: 'missing', version: undefined, path: 'body.version' },
    { kind: 'a numeric string', version: '1', path: 'body.version' },
    { kind: 'zero', version: 0, path: 'body.version' },
    { kind: 'beyond the integer range', version: 2 ** 31, path: 'body.version' },
  ])('CAT-008 refuses a version that is $kind (400 VALIDATION_FAILED) and changes nothing', async ({ version, path }) => {
    const tenant = await newTenant();
    const product = await createProduct(tenant);
    expectError(await api(tenant, { method: 'PATCH', url: `/products/${product.id}`, payload: { name: 'Other', version } }), 400, 'VALIDATION_FAILED', [path]);
    expect(await getProduct(tenant, product.id)).toEqual(product);
  });

  it('CAT-008 refuses an unknown field (400 VALIDATION_FAILED on it) and changes nothing', async () => {
    const tenant = await newTenant();
    const product = await createProduct(tenant);
    expectError(await update(tenant, product, { name: 'Changed', currency: 'EUR' }), 400, 'VALIDATION_FAILED', ['body.currency']);
    expectError(await api(tenant, { method: 'POST', url: '/products', payload: { ...newProductBody(), currency: 'EUR' } }), 400, 'VALIDATION_FAILED', ['body.currency']);
    expect(await listProducts(tenant)).toEqual([product]);
  });
});

describe('CAT-009 versioned deletes', () => {
  it('CAT-009 deletes with the current version (204), after which the product is gone (404)', async () => {
    const tenant = await newTenant();
    const product = await createProduct(tenant);
    const current = expectStatus(await update(tenant, product, { name: 'Current' }), 200).json<Product>();
    const response = await remove(tenant, current);
    expect(response.statusCode, response.body).toBe(204);
    expect(response.body).toBe('');
    expectError(await api(tenant, { method: 'GET', url: `/products/${product.id}` }), 404, 'PRODUCT_NOT_FOUND');
    expect(await listProducts(tenant)).toEqual([]);
  });

  it('CAT-009 refuses a delete with a stale version (409 VERSION_CONFLICT) and keeps the product', async () => {
    const tenant = await newTenant();
    const stale = await createProduct(tenant);
    const current = expectStatus(await update(tenant, stale, { active: false }), 200).json<Product>();
    expectError(await remove(tenant, stale), 409, 'VERSION_CONFLICT');
    expect(await getProduct(tenant, stale.id)).toEqual(current);
  });

  it.each(['', '?version=x', '?version=0'])('CAT-009 refuses a delete with the query "%s" (400 VALIDATION_FAILED on query.version) and keeps the product', async (query) => {
    const tenant = await newTenant();
    const product = await createProduct(tenant);
    expectError(await api(tenant, { method: 'DELETE', url: `/products/${product.id}${query}` }), 400, 'VALIDATION_FAILED', ['query.version']);
    expect(await getProduct(tenant, product.id)).toEqual(product);
  });
});

describe('CAT-010 a product on an order line is never deleted', () => {
  it('CAT-010 answers 409 PRODUCT_IN_USE and keeps the product; deactivating it keeps it readable and listed', async () => {
    const tenant = await newTenant();
    const ordered = await createProduct(tenant, { sku: 'ORDERED-1' });
    const other = await createProduct(tenant, { sku: 'OTHER-1' });
    await insertOrderWithLine(owner, tenant, ordered.id, 1);
    expectError(await remove(tenant, ordered), 409, 'PRODUCT_IN_USE');
    expect(await getProduct(tenant, ordered.id)).toEqual(ordered);

    const deactivated = expectStatus(await update(tenant, ordered, { active: false }), 200).json<Product>();
    expect(deactivated).toMatchObject({ active: false, version: 2 });
    expect(await getProduct(tenant, ordered.id)).toEqual(deactivated);
    expect(await listProducts(tenant)).toEqual([deactivated, other]);
    expectError(await remove(tenant, deactivated), 409, 'PRODUCT_IN_USE');
    expect(await orderLinesOf(owner, tenant, ordered.id)).toHaveLength(1);
  });

  it('CAT-010 still deletes a product no order has', async () => {
    const tenant = await newTenant();
    const ordered = await createProduct(tenant, { sku: 'ORDERED-2' });
    const unordered = await createProduct(tenant, { sku: 'UNORDERED-2' });
    await insertOrderWithLine(owner, tenant, ordered.id, 3);
    expect((await remove(tenant, unordered)).statusCode).toBe(204);
    expect(await listProducts(tenant)).toEqual([ordered]);
  });
});

describe('CAT-011 a price change never changes existing orders', () => {
  it('CAT-011 an order line keeps the unit price captured when the order was made, and its order keeps its totals', async () => {
    const tenant = await newTenant();
    const product = await createProduct(tenant, { priceMinor: 1500 });
    const orderId = await insertOrderWithLine(owner, tenant, product.id, 2);
    const before = await orderLinesOf(owner, tenant, product.id);
    expect(before).toEqual([{ orderId, unitPriceMinor: 1500, quantity: 2, subtotalMinor: 3000, totalMinor: 3000 }]);

    const repriced = expectStatus(await update(tenant, product, { priceMinor: 2500 }), 200).json<Product>();
    expect(repriced.priceMinor).toBe(2500);
    expect(await orderLinesOf(owner, tenant, product.id)).toEqual(before);
  });
});

describe('CAT-013 the product list', () => {
  it('CAT-013 pages in creation order, every product exactly once, the last page without a cursor', async () => {
    const tenant = await newTenant();
    const created: string[] = [];
    for (const sku of ['G-1', 'a-2', 'E-3', 'b-4', 'z-5', 'D-6', 'e-7']) created.push((await createProduct(tenant, { sku })).id);
    const pages = await allPages(tenant, '', 3);
    expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((page) => page.items.map((product) => product.id))).toEqual(created);
    expect(pages.map((page) => page.nextCursor === null)).toEqual([false, false, true]);
  });

  it('CAT-013 returns 50 products by default and at most 200 per page', async () => {
    const tenant = await newTenant();
    await seedProducts(owner, tenant, 201);
    const byDefault = expectStatus(await api(tenant, { method: 'GET', url: '/products' }), 200).json<ProductPage>();
    expect(byDefault.items).toHaveLength(50);
    expect(byDefault.nextCursor).toEqual(expect.any(String));
    const pages = await allPages(tenant, '', 200);
    expect(pages.map((page) => page.items.length)).toEqual([200, 1]);
    expect(new Set(pages.flatMap((page) => page.items.map((product) => product.id))).size).toBe(201);
  });

  it('CAT-013 CAT-014 CAT-015 pages through the filtered products, each matching one exactly once', async () => {
    const tenant = await newTenant();
    await seedProducts(owner, tenant, 40); // active: the even ones; SKUs SEED-1 … SEED-40
    const pages = await allPages(tenant, 'q=seed-1&active=true', 2);
    const skus = pages.flatMap((page) => page.items.map((product) => product.sku));
    expect(skus).toEqual(['SEED-10', 'SEED-12', 'SEED-14', 'SEED-16', 'SEED-18']);
    expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
  });

  it.each(['0', '201', '-1', '1.5', 'ten'])('CAT-013 refuses limit=%s (400 VALIDATION_FAILED on query.limit)', async (limit) => {
    const tenant = await newTenant();
    expectError(await api(tenant, { method: 'GET', url: `/products?limit=${limit}` }), 400, 'VALIDATION_FAILED', ['query.limit']);
  });

  it.each([
    { kind: 'garbage', cursor: 'garbage' },
    { kind: 'a bare UUID', cursor: randomUUID() },
    { kind: 'base64url JSON without a UUID', cursor: Buffer.from(JSON.stringify({ after: 'product-7' })).toString('base64url') },
  ])('CAT-013 refuses a cursor Keel did not produce: $kind (400 VALIDATION_FAILED on query.cursor)', async ({ cursor }) => {
    const tenant = await newTenant();
    expectError(await api(tenant, { method: 'GET', url: `/products?cursor=${cursor}` }), 400, 'VALIDATION_FAILED', ['query.cursor']);
  });
});

describe('CAT-014 searching SKUs and names', () => {
  let tenant: string;
  const catalogue = [
    { sku: 'TEA-001', name: 'Green tea' },
    { sku: 'COF-001', name: 'Espresso beans' },
    { sku: 'MUG_01', name: 'Tea mug 100%' },
    { sku: 'MUGX01', name: 'Coffee mug 100 pct' },
    { sku: 'BAG.1', name: 'Back\\slash bag' },
  ];

  beforeAll(async () => {
    tenant = await newTenant();
    for (const product of catalogue) await createProduct(tenant, product);
  });

  it.each<{ q: string; skus: string[] }>([
    { q: 'tea', skus: ['TEA-001', 'MUG_01'] },
    { q: 'ESPRESSO', skus: ['COF-001'] },
    { q: 'cof', skus: ['COF-001', 'MUGX01'] },
    { q: '  mug  ', skus: ['MUG_01', 'MUGX01'] },
    { q: 'mug_', skus: ['MUG_01'] },
    { q: '100%', skus: ['MUG_01'] },
    { q: '%', skus: ['MUG_01'] },
    { q: '_', skus: ['MUG_01'] },
    { q: '\\', skus: ['BAG.1'] },
    { q: 'k\\s', skus: ['BAG.1'] },
    { q: '.', skus: ['BAG.1'] },
    { q: 'nothing like it', skus: [] },
    { q: '', skus: catalogue.map((product) => product.sku) },
  ])('CAT-014 q="$q" finds $skus', async ({ q, skus }) => {
    const pages = await allPages(tenant, `q=${encodeURIComponent(q)}`, 200);
    expect(pages.flatMap((page) => page.items.map((product) => product.sku))).toEqual(skus);
  });

  it.each([
    { kind: '201 characters', q: 'q'.repeat(201) },
    { kind: 'a NUL character', q: 'tea\u0000' },
    { kind: 'a line break', q: 'green\ntea' },
  ])('CAT-014 refuses a q of $kind (400 VALIDATION_FAILED on query.q)', async ({ q }) => {
    expectError(await api(tenant, { method: 'GET', url: `/products?q=${encodeURIComponent(q)}` }), 400, 'VALIDATION_FAILED', ['query.q']);
  });
});

describe('CAT-015 the active filter', () => {
  let tenant: string;
  let products: Product[];

  beforeAll(async () => {
    tenant = await newTenant();
    products = [];
    for (const [sku, active] of [['ON-1', true], ['OFF-1', false], ['ON-2', true], ['OFF-2', false]] as const) products.push(await createProduct(tenant, { sku, active }));
  });

  it.each([
    { query: 'active=true', skus: ['ON-1', 'ON-2'] },
    { query: 'active=false', skus: ['OFF-1', 'OFF-2'] },
    { query: 'active=false&q=2', skus: ['OFF-2'] },
    { query: '', skus: ['ON-1', 'OFF-1', 'ON-2', 'OFF-2'] },
  ])('CAT-015 "$query" lists $skus', async ({ query, skus }) => {
    const listed = (await allPages(tenant, query, 200)).flatMap((page) => page.items);
    expect(listed.map((product) => product.sku)).toEqual(skus);
    expect(listed).toEqual(products.filter((product) => skus.includes(product.sku)));
  });

  it.each(['yes', '1', 'TRUE', ''])('CAT-015 refuses active=%s (400 VALIDATION_FAILED on query.active)', async (value) => {
    expectError(await api(tenant, { method: 'GET', url: `/products?active=${value}` }), 400, 'VALIDATION_FAILED', ['query.active']);
  });
});

describe('CAT-016 the list runs as many statements for 500 products as for 5', () => {
  it.each(['', 'limit=200', 'active=true', 'q=product', 'q=1&active=false&limit=200'])('CAT-016 "%s": the same x-query-count with 5 and 500 products', async (query) => {
    const tenant = await newTenant();
    await seedProducts(owner, tenant, 5);
    const few = await api(tenant, { method: 'GET', url: `/products?${query}` });
    await seedProducts(owner, tenant, 495, 6);
    const many = await api(tenant, { method: 'GET', url: `/products?${query}` });
    expect(expectStatus(many, 200).json<ProductPage>().items.length).toBeGreaterThan(expectStatus(few, 200).json<ProductPage>().items.length);
    expect(few.headers['x-query-count']).toMatch(/^\d+$/);
    expect(many.headers['x-query-count']).toBe(few.headers['x-query-count']);
  });
});

// ---------------------------------------------------------------------------------------------

interface Product {
  id: string;
  sku: string;
  name: string;
  priceMinor: number;
  currency: string;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface ProductPage {
  items: Product[];
  nextCursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The endpoints that address one product. */
function productEndpoints(): { endpoint: string; request: (product: Pick<Product, 'id' | 'version'>) => InjectOptions }[] {
  return [
    { endpoint: 'GET /products/:productId', request: (product) => ({ method: 'GET', url: `/products/${product.id}` }) },
    { endpoint: 'PATCH /products/:productId', request: (product) => ({ method: 'PATCH', url: `/products/${product.id}`, payload: { name: 'Taken over', version: product.version } }) },
    { endpoint: 'DELETE /products/:productId', request: (product) => ({ method: 'DELETE', url: `/products/${product.id}?version=${product.version}` }) },
  ];
}

/** A provisioned tenant of the region (currency USD). */
async function newTenant(): Promise<string> {
  const tenantId = randomUUID();
  await keel.provisionTenant(tenantId);
  return tenantId;
}

/** A request to `/api/v1` with a fresh admin token of `tenantId`. */
async function api(tenantId: string, request: InjectOptions): Promise<LightMyRequestResponse> {
  return keel.app.inject({ ...request, url: `/api/v1${String(request.url)}`, headers: await keel.authorization(tenantId, { role: 'admin' }) });
}

function newProductBody(overrides: Partial<Pick<Product, 'sku' | 'name' | 'priceMinor' | 'active'>> = {}) {
  return { sku: `SKU-${randomUUID().slice(0, 8)}`, name: 'House blend', priceMinor: 1099, ...overrides };
}

async function createProduct(tenantId: string, overrides: Partial<Pick<Product, 'sku' | 'name' | 'priceMinor' | 'active'>> = {}): Promise<Product> {
  return expectStatus(await api(tenantId, { method: 'POST', url: '/products', payload: newProductBody(overrides) }), 201).json<Product>();
}

function update(tenantId: string, product: Product, changes: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return api(tenantId, { method: 'PATCH', url: `/products/${product.id}`, payload: { ...changes, version: product.version } });
}

function remove(tenantId: string, product: Product): Promise<LightMyRequestResponse> {
  return api(tenantId, { method: 'DELETE', url: `/products/${product.id}?version=${product.version}` });
}

async function getProduct(tenantId: string, productId: string): Promise<Product> {
  return expectStatus(await api(tenantId, { method: 'GET', url: `/products/${productId}` }), 200).json<Product>();
}

/** Follows `nextCursor` from the first page to the last. */
async function allPages(tenantId: string, query: string, limit: number): Promise<ProductPage[]> {
  const pages: ProductPage[] = [];
  let cursor: string | null = null;
  do {
    const paging: string = cursor === null ? `limit=${limit}` : `limit=${limit}&cursor=${cursor}`;
    const page = expectStatus(await api(tenantId, { method: 'GET', url: `/products?${query}&${paging}` }), 200).json<ProductPage>();
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return pages;
}

async function listProducts(tenantId: string): Promise<Product[]> {
  return (await allPages(tenantId, '', 200)).flatMap((page) => page.items);
}

function expectStatus(response: LightMyRequestResponse, status: number): LightMyRequestResponse {
  expect(response.statusCode, response.body).toBe(status);
  return response;
}

/** An error response: `{code, requestId}`, plus `details` naming exactly the fields `paths` (a field may break several rules) when given. */
function expectError(response: LightMyRequestResponse, status: number, code: string, paths?: string[]): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<{ code: string; requestId: string; details?: { path: string; rule: string }[] }>();
  expect(body).toEqual({ code, requestId: expect.any(String), ...(paths ? { details: expect.any(Array) } : {}) });
  if (paths) expect([...new Set(body.details?.map((detail) => detail.path))]).toEqual(paths);
}
