import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralClient, TEST_PASSWORD, type CentralClient, type Owner } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { waitUntil } from '../test/support/queue-driver-contract.ts';
import { browserHarness } from './support/browser.ts';
import { DEMO_PASSWORD, startBrowserKeel } from './support/keel.ts';

/**
 * The catalog pages in a browser: the stores overview, a store's page with its reviews, and the
 * products table. Acme Retail's demo data (USD, three stores, 40 products, 40 reviews a store) is
 * only read; every test that changes something has an organization of its own (Free plan).
 */

interface Store {
  id: string;
  name: string;
  version: number;
  reviewCount: number;
  averageRating: number | null;
  openOrders: number;
  revenueThisMonthMinor: number;
  currency: string;
}
interface Review {
  rating: number;
  body: string;
  authorName: string;
}
interface Product {
  id: string;
  sku: string;
  name: string;
  priceMinor: number;
  active: boolean;
  version: number;
}

let keel: TestKeel;
let client: CentralClient;
/** A token of owner@acme.test for Acme Retail: what the pages show is compared with what the API answers. */
let acme: string;
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  keel = await startBrowserKeel();
  client = centralClient(keel);
  const owner = await client.signIn('owner@acme.test', DEMO_PASSWORD);
  const [organization] = (await client.myOrganizations(owner.cookie)).filter((candidate) => candidate.slug === 'acme');
  acme = await client.token(owner, organization!.id);
  // The region fills the demo organization from central's feed, in one transaction: its stores show when all of it is there.
  await waitUntil(async () => (await storesOf(acme)).length === 3);
}, 120_000);

afterAll(async () => {
  await keel?.stop();
});

describe('WEB-030 the stores overview', () => {
  it('WEB-030 as owner@acme.test shows Acme Retail’s three stores, each card with the figures GET /api/v1/stores answered, in English then in Spanish', async () => {
    const page = await browser.page();
    const stores = await openStoresAs(page, 'owner@acme.test');
    expect(stores.map((store) => store.name)).toEqual(['Downtown', 'Harbor Front', 'Airport']);
    // The demo has reviews and open orders in every store: the figures are not all zero.
    expect(stores.every((store) => store.reviewCount > 0 && store.openOrders > 0)).toBe(true);
    for (const store of stores) {
      expect(await figuresOf(storeCard(page, store.name))).toEqual({
        Reviews: String(store.reviewCount),
        'Average rating': `${store.averageRating!.toFixed(2)} out of 5`,
        'Open orders': String(store.openOrders),
        'Revenue this month': money(store.revenueThisMonthMinor, store.currency, 'en-US'),
      });
    }

    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Tiendas' }).waitFor();
    for (const store of stores) {
      expect(await figuresOf(storeCard(page, store.name))).toEqual({
        Reseñas: String(store.reviewCount),
        'Valoración media': `${new Intl.NumberFormat('es-ES', { minimumFractionDigits: 2 }).format(store.averageRating!)} de 5`,
        'Pedidos abiertos': String(store.openOrders),
        'Ingresos de este mes': money(store.revenueThisMonthMinor, store.currency, 'es-ES'),
      });
    }
  });
});

describe('WEB-032 what a member may do', () => {
  it('WEB-032 as clerk@acme.test (member) no page offers adding, renaming, editing or deleting, and the store page offers recording a review', async () => {
    const page = await browser.page();
    const [store] = await openStoresAs(page, 'clerk@acme.test');
    await storeCard(page, store!.name).waitFor();
    expect(await page.getByRole('button', { name: /^(Add a store|Rename)/ }).count()).toBe(0);

    await page.getByRole('link', { name: store!.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: store!.name }).waitFor();
    await page.getByRole('list', { name: 'Reviews' }).getByRole('article').first().waitFor();
    expect(await page.getByRole('button', { name: /^(Delete|Rename)/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Record the review' }).waitFor();

    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Products' }).click();
    await page.getByRole('table', { name: 'Products' }).getByRole('row').nth(1).waitFor();
    expect(await page.getByRole('button', { name: /^(Add a product|Add your first product|Edit)/ }).count()).toBe(0);
  });
});

describe('WEB-037 a store’s reviews', () => {
  it('WEB-037 on an Acme store lists the reviews newest first, loads the rest by cursor with each review once, and filters by rating', async () => {
    const page = await browser.page();
    const [store] = await openStoresAs(page, 'clerk@acme.test');
    const all = await reviewsOf(store!.id);
    expect(all.length).toBe(40);
    await page.goto(`/t/acme/stores/${store!.id}`);
    const list = page.getByRole('list', { name: 'Reviews' });
    await list.getByRole('article').nth(19).waitFor();
    expectReviews(await shownReviews(list), all.slice(0, 20));

    await page.getByRole('button', { name: 'Load more reviews' }).click();
    await page.getByText('That’s every review.').waitFor();
    expectReviews(await shownReviews(list), all);

    await page.getByLabel('Show ratings').selectOption('5');
    const fives = await reviewsOf(store!.id, '&rating=5');
    await eventually(() => shownReviews(list)).toHaveLength(fives.length);
    expectReviews(await shownReviews(list), fives);
  });

  it('WEB-037 WEB-034 recording and deleting a review show at once in the list and in the store’s figures; a missing rating is refused next to the rating', async () => {
    const page = await browser.page();
    const own = await ownOrganization();
    await signIn(page, own.owner.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Main Street', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Main Street' }).waitFor();
    await page.getByText('No reviews yet. Be the first to record one.').waitFor();
    expect(await figuresOf(page.getByRole('main'))).toMatchObject({ Reviews: '0', 'Average rating': 'No ratings yet' });

    await page.getByLabel('Review', { exact: true }).fill('Friendly and quick.');
    await page.getByLabel('Author’s name').fill('Ana Garcia');
    await page.getByRole('button', { name: 'Record the review' }).click();
    const rating = page.getByRole('group', { name: 'Rating' });
    await rating.getByText('Choose a rating from 1 to 5 stars.').waitFor();

    await rating.getByLabel('4 stars').check();
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.getByText('Review recorded.').waitFor();
    await recordReview(page, 2, 'Slow at the till.', 'Ben Smith');
    const list = page.getByRole('list', { name: 'Reviews' });
    await eventually(() => shownReviews(list)).toHaveLength(2);
    expectReviews(await shownReviews(list), [
      { rating: 2, body: 'Slow at the till.', authorName: 'Ben Smith' },
      { rating: 4, body: 'Friendly and quick.', authorName: 'Ana Garcia' },
    ]);
    await waitForFigures(page, { Reviews: '2', 'Average rating': '3.00 out of 5' });

    await page.getByRole('button', { name: 'Delete Review by Ben Smith' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this review?' });
    await confirm.getByRole('button', { name: 'Delete the review' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await eventually(() => shownReviews(list)).toHaveLength(1);
    await waitForFigures(page, { Reviews: '1', 'Average rating': '4.00 out of 5' });
    expect((await reviewsOf(own.store.id, '', own.bearer)).map((review) => review.authorName)).toEqual(['Ana Garcia']);
  });
});

describe('WEB-038 a store the organization does not have', () => {
  it('WEB-038 another organization’s store, an unknown id and a path that is no id all show the not-found page', async () => {
    const page = await browser.page();
    const own = await ownOrganization();
    await signIn(page, own.owner.email, TEST_PASSWORD);
    const [acmeStore] = await storesOf(acme);
    for (const storeId of [acmeStore!.id, '0190a8b4-0000-7000-8000-000000000000', 'not-an-id']) {
      await page.goto(`/t/${own.owner.organization.slug}/stores/${storeId}`);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      expect(await page.getByText(acmeStore!.name).count()).toBe(0);
    }
  });
});

describe('WEB-031 prices typed as decimals', () => {
  it.each([
    { currency: 'USD', tooPrecise: '12.505', refusal: 'USD has 2 decimals: enter at most 2 after the separator.', typed: '12.50', minor: 1250 },
    { currency: 'JPY', tooPrecise: '1200.5', refusal: 'JPY has no decimals: enter a whole amount.', typed: '1200', minor: 1200 },
    { currency: 'KWD', tooPrecise: '12.3456', refusal: 'KWD has 3 decimals: enter at most 3 after the separator.', typed: '12.345', minor: 12345 },
  ])('WEB-031 an owner adds a product at $typed $currency: Keel gets $minor minor units, the table shows the money', async ({ currency, tooPrecise, refusal, typed, minor }) => {
    const page = await browser.page();
    const own = await ownOrganization(currency);
    await signIn(page, own.owner.email, TEST_PASSWORD);
    await page.goto(`/t/${own.owner.organization.slug}/products`);
    await page.getByText('No products yet.', { exact: false }).waitFor();
    const sent = productWrites(page);

    await page.getByRole('button', { name: 'Add a product' }).click();
    const form = page.getByRole('dialog', { name: 'Add a product' });
    await form.getByLabel('SKU').fill('TOTE-1');
    await form.getByLabel('Name').fill('Canvas Tote');
    const price = form.getByLabel(`Price (${currency})`);
    await price.fill(tooPrecise);
    await form.getByRole('button', { name: 'Add the product' }).click();
    expect(await fieldError(price)).toBe(refusal);
    expect(sent).toEqual([]);

    await price.fill(typed);
    await form.getByRole('button', { name: 'Add the product' }).click();
    await form.waitFor({ state: 'hidden' });
    expect(sent.map((request) => request.postDataJSON() as unknown)).toEqual([{ sku: 'TOTE-1', name: 'Canvas Tote', priceMinor: minor, active: true }]);
    expect(await rowOf(page, 'Canvas Tote')).toEqual(['TOTE-1', 'Canvas Tote', money(minor, currency, 'en-US'), 'Yes', 'Edit Canvas Tote']);
    expect((await productsOf(own.bearer)).map((product) => product.priceMinor)).toEqual([minor]);
  });
});

describe('WEB-033 edits never silently overwrite', () => {
  it('WEB-033 a product edit sends only the changes and the version read; one changed meanwhile shows the conflict, keeps the typed values and saves after loading the latest', async () => {
    const page = await browser.page();
    const own = await ownOrganization();
    const product = await createProduct(own.bearer, { sku: 'MUG-1', name: 'Ceramic Mug', priceMinor: 1500 });
    await signIn(page, own.owner.email, TEST_PASSWORD);
    await page.goto(`/t/${own.owner.organization.slug}/products`);
    const sent = productWrites(page);

    let form = await openEditor(page, 'Ceramic Mug');
    expect(await form.getByLabel('Price (USD)').inputValue()).toBe('15.00');
    await form.getByLabel('Price (USD)').fill('17.25');
    await form.getByRole('button', { name: 'Save the changes' }).click();
    await form.waitFor({ state: 'hidden' });
    expect(await rowOf(page, 'Ceramic Mug')).toEqual(['MUG-1', 'Ceramic Mug', '$17.25', 'Yes', 'Edit Ceramic Mug']);

    form = await openEditor(page, 'Ceramic Mug');
    await form.getByLabel('Name').fill('Stoneware Mug');
    // Someone else changes the product while the form is open.
    expect((await client.api(own.bearer, 'PATCH', `/products/${product.id}`, { version: 2, active: false })).status).toBe(200);
    await form.getByRole('button', { name: 'Save the changes' }).click();
    await form.getByText('Someone else changed this meanwhile. Reload to see their changes.').waitFor();
    expect(await form.getByLabel('Name').inputValue()).toBe('Stoneware Mug');
    await form.getByRole('button', { name: 'Reload the latest version' }).click();
    await form.getByText('Loaded the latest version: MUG-1, “Ceramic Mug”, $17.25.', { exact: false }).waitFor();
    // The typed name stays; "on sale", left alone, now shows the other person's change.
    expect(await form.getByLabel('Name').inputValue()).toBe('Stoneware Mug');
    expect(await form.getByLabel('On sale').isChecked()).toBe(false);
    await form.getByRole('button', { name: 'Save the changes' }).click();
    await form.waitFor({ state: 'hidden' });

    expect(sent.map((request) => request.postDataJSON() as unknown)).toEqual([
      { priceMinor: 1725, version: 1 },
      { name: 'Stoneware Mug', version: 2 },
      { name: 'Stoneware Mug', version: 3 },
    ]);
    expect(await productsOf(own.bearer)).toMatchObject([{ name: 'Stoneware Mug', priceMinor: 1725, active: false, version: 4 }]);
  });

  it('WEB-033 renaming a store changed meanwhile shows the conflict in words, keeps the typed name, and renames after loading the latest version', async () => {
    const page = await browser.page();
    const own = await ownOrganization();
    await signIn(page, own.owner.email, TEST_PASSWORD);
    await page.getByRole('button', { name: 'Rename Main Street' }).click();
    const form = page.getByRole('dialog', { name: 'Rename “Main Street”' });
    await form.getByLabel('Store name').fill('High Street');
    expect((await client.api(own.bearer, 'PATCH', `/stores/${own.store.id}`, { name: 'Market Square', version: 1 })).status).toBe(200);
    await form.getByRole('button', { name: 'Save the name' }).click();
    await form.getByText('Someone else changed this meanwhile. Reload to see their changes.').waitFor();
    expect(await form.getByLabel('Store name').inputValue()).toBe('High Street');

    await form.getByRole('button', { name: 'Reload the latest version' }).click();
    await form.getByText('Loaded the latest version: it is now called “Market Square”.', { exact: false }).waitFor();
    await form.getByRole('button', { name: 'Save the name' }).click();
    await form.waitFor({ state: 'hidden' });
    await storeCard(page, 'High Street').waitFor();
    expect(await client.storeNames(own.bearer)).toEqual(['High Street']);
  });
});

describe('WEB-034 refusals next to the fields they name', () => {
  it('WEB-034 a SKU Keel refuses as invalid or taken is explained next to the SKU field, in words', async () => {
    const page = await browser.page();
    const own = await ownOrganization();
    await createProduct(own.bearer, { sku: 'TAKEN-1', name: 'Linen Apron', priceMinor: 2400 });
    await createProduct(own.bearer, { sku: 'BOWL-1', name: 'Walnut Bowl', priceMinor: 3900 });
    await signIn(page, own.owner.email, TEST_PASSWORD);
    await page.goto(`/t/${own.owner.organization.slug}/products`);
    const form = await openEditor(page, 'Walnut Bowl');
    const sku = form.getByLabel('SKU');

    for (const { typed, explained } of [
      { typed: 'bowl 1', explained: 'Use 1 to 64 characters: letters, digits, “-”, “_” and “.” only (no spaces).' },
      { typed: 'taken-1', explained: 'Another product already has this SKU.' },
    ]) {
      await sku.fill(typed);
      await form.getByRole('button', { name: 'Save the changes' }).click();
      await eventually(() => fieldError(sku)).toBe(explained);
      expect(await sku.getAttribute('aria-invalid')).toBe('true');
    }
    expect(await productsOf(own.bearer)).toMatchObject([{ sku: 'TAKEN-1' }, { sku: 'BOWL-1', version: 1 }]);
  });
});

describe('WEB-035 the plan’s limit on stores', () => {
  it('WEB-035 on the Free plan adding a second store says the plan allows no more and how to get more, and adds nothing', async () => {
    const page = await browser.page();
    const own = await ownOrganization();
    await signIn(page, own.owner.email, TEST_PASSWORD);
    await page.getByRole('button', { name: 'Add a store' }).click();
    const form = page.getByRole('dialog', { name: 'Add a store' });
    await form.getByLabel('Store name').fill('Second Street');
    const [answer] = await Promise.all([
      page.waitForResponse((response) => isApi(response.request(), 'POST', '/api/v1/stores')),
      form.getByRole('button', { name: 'Add the store' }).click(),
    ]);
    expect({ status: answer.status(), code: ((await answer.json()) as { code: string }).code }).toEqual({ status: 402, code: 'PLAN_LIMIT_REACHED' });
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('p').allTextContents()).toEqual([
      'Your organization’s plan allows no more stores.',
      'An owner can upgrade the plan to add more stores, or you can rename an existing one.',
    ]);
    expect(await client.storeNames(own.bearer)).toEqual(['Main Street']);
  });
});

describe('WEB-036 searching and paging products', () => {
  it('WEB-036 as clerk@acme.test the search and the on-sale filter live in the URL and survive a reload; pages follow the cursor, each product once', async () => {
    const page = await browser.page();
    await openStoresAs(page, 'clerk@acme.test');
    await page.goto('/t/acme/products');
    const table = page.getByRole('table', { name: 'Products' });
    await table.getByRole('row').nth(25).waitFor();
    const firstPage = await skusShown(table);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    const all = skus(await productsOf(acme));
    expect(firstPage).toEqual(all.slice(0, 25));
    await eventually(() => skusShown(table)).toEqual(all.slice(25));

    await page.getByRole('searchbox', { name: 'Search' }).fill('mug');
    await page.waitForURL((url) => url.searchParams.get('q') === 'mug');
    const mugs = await productsOf(acme, '&q=mug');
    expect(mugs.length).toBeGreaterThan(1);
    await eventually(() => skusShown(table)).toEqual(skus(mugs));
    await page.getByRole('combobox', { name: 'Show' }).selectOption('false');
    await page.waitForURL((url) => url.searchParams.get('active') === 'false' && url.searchParams.get('q') === 'mug');
    const retired = await productsOf(acme, '&q=mug&active=false');
    await eventually(() => skusShown(table)).toEqual(skus(retired));

    await page.reload();
    await eventually(() => skusShown(table)).toEqual(skus(retired));
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('mug');
    expect(await page.getByRole('combobox', { name: 'Show' }).inputValue()).toBe('false');
  });
});

describe('WEB-039 accessibility of the catalog pages', () => {
  it('WEB-039 the stores overview, a store’s page and the products table with the product form open have no axe violations (WCAG 2 A and AA, best practices)', async () => {
    const page = await browser.page();
    await openStoresAs(page, 'owner@acme.test');
    const overview = await axeViolations(page);
    await page.getByRole('link', { name: 'Downtown', exact: true }).click();
    await page.getByRole('button', { name: 'Load more reviews' }).waitFor();
    const store = await axeViolations(page);
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Products' }).click();
    await page.getByRole('table', { name: 'Products' }).waitFor();
    await page.getByRole('button', { name: 'Add a product' }).click();
    await page.getByRole('dialog', { name: 'Add a product' }).waitFor();
    expect({ overview, store, products: await axeViolations(page) }).toEqual({ overview: [], store: [], products: [] });
  });
});

// --- helpers -------------------------------------------------------------------------------------

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => /^\/t\/[^/]+\/stores$/.test(url.pathname));
}

/** Signs in (landing on the stores overview) and answers the stores the page received from `GET /api/v1/stores`. */
async function openStoresAs(page: Page, email: string): Promise<Store[]> {
  const [answer] = await Promise.all([page.waitForResponse((response) => isApi(response.request(), 'GET', '/api/v1/stores') && response.ok()), signIn(page, email, DEMO_PASSWORD)]);
  const { items } = (await answer.json()) as { items: Store[] };
  await storeCard(page, items[0]!.name).waitFor();
  return items;
}

function isApi(request: Request, method: string, pathname: string): boolean {
  return request.method() === method && new URL(request.url()).pathname === pathname;
}

function storeCard(page: Page, name: string): Locator {
  return page.getByRole('article', { name, exact: true });
}

/** A description list's terms and their values, as shown. */
function figuresOf(scope: Locator): Promise<Record<string, string>> {
  return scope.locator('dl').first().evaluate((list) => Object.fromEntries([...list.querySelectorAll('dt')].map((term) => [term.textContent, term.nextElementSibling?.textContent ?? ''])));
}

/** Waits (a bounded poll) until the page's figures include `expected`. */
async function waitForFigures(page: Page, expected: Record<string, string>): Promise<void> {
  await eventually(() => figuresOf(page.getByRole('main'))).toMatchObject(expected);
}

/** A condition on what the page shows, polled until it holds or 10 seconds pass. */
function eventually<T>(read: () => Promise<T>) {
  return expect.poll(read, { timeout: 10_000, interval: 50 });
}

/** Money as the app formats it: the currency's own decimals, in the language's locale; spaces made plain. */
function money(minor: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits!);
}

async function storesOf(bearer: string): Promise<Store[]> {
  const response = await client.api(bearer, 'GET', '/stores');
  return response.ok ? ((await response.json()) as { items: Store[] }).items : [];
}

async function reviewsOf(storeId: string, query = '', bearer = acme): Promise<Review[]> {
  const response = await client.api(bearer, 'GET', `/stores/${storeId}/reviews?limit=200${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Review[] }).items;
}

async function productsOf(bearer: string, query = ''): Promise<Product[]> {
  const response = await client.api(bearer, 'GET', `/products?limit=200${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Product[] }).items;
}

async function createProduct(bearer: string, body: { sku: string; name: string; priceMinor: number }): Promise<Product> {
  const response = await client.api(bearer, 'POST', '/products', body);
  expect(response.status).toBe(201);
  return (await response.json()) as Product;
}

/** A new owner of a new organization (Free plan) whose region is ready, with its one store, "Main Street". */
async function ownOrganization(currency = 'USD'): Promise<{ owner: Owner; bearer: string; store: { id: string } }> {
  const owner = await client.newOwner({ name: 'Corner Shop', currency });
  const bearer = await client.token(owner, owner.organization.id);
  const store = await client.createStoreOnceProvisioned(bearer, 'Main Street');
  return { owner, bearer, store };
}

/** Each review shown: its text (stars read out, author, date, body). */
function shownReviews(list: Locator): Promise<string[]> {
  return list.getByRole('article').allTextContents();
}

/** The reviews shown are these, in this order: each with its rating, author and text. */
function expectReviews(shown: string[], expected: Review[]): void {
  expect(shown.length).toBe(expected.length);
  shown.forEach((text, index) => {
    const review = expected[index]!;
    expect(text).toContain(`Rated ${review.rating} out of 5 by ${review.authorName}`);
    expect(text).toContain(review.body);
  });
}

async function recordReview(page: Page, rating: number, body: string, author: string): Promise<void> {
  await page.getByRole('group', { name: 'Rating' }).getByLabel(`${rating} stars`).check();
  await page.getByLabel('Review', { exact: true }).fill(body);
  await page.getByLabel('Author’s name').fill(author);
  await page.getByRole('button', { name: 'Record the review' }).click();
  // A recorded review empties the form.
  await eventually(() => page.getByLabel('Author’s name').inputValue()).toBe('');
}

/** The POST and PATCH requests the page sends to `/api/v1/products…`, as they happen. */
function productWrites(page: Page): Request[] {
  const sent: Request[] = [];
  page.on('request', (request) => {
    if (['POST', 'PATCH'].includes(request.method()) && new URL(request.url()).pathname.startsWith('/api/v1/products')) sent.push(request);
  });
  return sent;
}

async function openEditor(page: Page, productName: string): Promise<Locator> {
  await page.getByRole('button', { name: `Edit ${productName}` }).click();
  const form = page.getByRole('dialog', { name: `Edit “${productName}”` });
  await form.waitFor();
  return form;
}

/** What axe finds against WCAG 2.1 A and AA and its best practices, one line per rule: where. */
async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** The cells of the table row that names `text`. */
function rowOf(page: Page, text: string): Promise<string[]> {
  return page.getByRole('row').filter({ hasText: text }).getByRole('cell').allTextContents();
}

async function skusShown(table: Locator): Promise<string[]> {
  return (await table.getByRole('row').all()).length > 1 ? table.locator('tbody tr td:first-child').allTextContents() : [];
}

function skus(products: Product[]): string[] {
  return products.map((product) => product.sku);
}

/** The error shown with a field: the alert its aria-describedby points to. */
async function fieldError(field: Locator): Promise<string | null> {
  for (const id of (await field.getAttribute('aria-describedby'))?.split(' ') ?? []) {
    const described = field.page().locator(`[id="${id}"][role="alert"]`);
    if ((await described.count()) > 0) return described.textContent();
  }
  return null;
}
