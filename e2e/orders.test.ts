import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsEn } from '../packages/web/src/i18n/errors.en.ts';
import { errorsEs } from '../packages/web/src/i18n/errors.es.ts';
import { centralClient, TEST_PASSWORD, type CentralClient } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { waitUntil } from '../test/support/queue-driver-contract.ts';
import { browserHarness } from './support/browser.ts';
import { DEMO_PASSWORD, startBrowserKeel } from './support/keel.ts';
import { withoutLiveUpdates } from './support/realtime.ts';

/**
 * The orders pages in a browser: the board, the table, an order's page and the new-order form.
 * Acme Retail's demo data (USD, America/New_York, 500 orders) is read; every test that changes
 * something works on an order of its own, created by clerk@acme.test (a member).
 */

interface Order {
  id: string;
  number: number;
  status: string;
  version: number;
  store: { id: string; name: string };
  customer: { name: string; email: string };
  lines: { productName: string; sku: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number }[];
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
  notes: string;
  statusHistory: { from: string | null; to: string; by: string; at: string }[];
  createdAt: string;
}
interface Listed {
  id: string;
  number: number;
}

const ACME_ZONE = 'America/New_York';
const STATUSES = ['PENDING', 'CONFIRMED', 'PACKED', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED', 'RETURNED', 'CANCELLED'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

let keel: TestKeel;
let client: CentralClient;
/** clerk@acme.test's token for Acme Retail. */
let clerk: string;
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  keel = await startBrowserKeel();
  client = centralClient(keel);
  clerk = await demoToken('clerk@acme.test', 'acme');
  const globex = await demoToken('owner@globex.test', 'globex');
  // The region fills each demo organization from central's feed, in one transaction: its orders show when all of it is there.
  await waitUntil(async () => (await listOrders(clerk, '?limit=1')).length > 0 && (await listOrders(globex, '?limit=1')).length > 0);
}, 120_000);

afterAll(async () => {
  await keel?.stop();
});

describe('WEB-016 WEB-017 the new-order form', () => {
  it('WEB-016 WEB-017 as clerk@acme.test: the live total equals the server’s, and a retry after a lost answer (then a double click) creates one order', async () => {
    const page = await browser.page();
    await signIn(page, 'clerk@acme.test');
    const customer = newCustomer();
    await fillNewOrder(page, { customer, quantity: '3', discount: '1.50', tax: '2.25' });
    const live = await page.getByTestId('live-total').textContent();

    // The first answer is lost on the way back (the server made the order); the person tries again.
    const keys: string[] = [];
    let lost = false;
    await page.route('**/api/v1/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(route.request().headers()['idempotency-key']!);
      if (lost) return route.continue();
      lost = true;
      await route.fetch();
      return route.abort('connectionreset');
    });
    await page.getByRole('button', { name: 'Create the order' }).click();
    await page.getByRole('alert').filter({ hasText: 'Keel cannot be reached' }).waitFor();
    expect(await page.getByLabel('Customer name').inputValue()).toBe(customer.name);
    const replayed = page.waitForResponse((response) => isApi(response, 'POST', '/api/v1/orders'));
    await page.getByRole('button', { name: 'Create the order' }).dblclick();
    const replay = await replayed;
    await page.waitForURL((url) => /^\/t\/acme\/orders\/[0-9a-f-]{36}$/.test(url.pathname));

    expect(replay.status()).toBe(200);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const created = await listOrders(clerk, `?q=${encodeURIComponent(customer.name)}`);
    expect(created.length).toBe(1);
    const order = await orderOf(created[0]!.id);
    expect(order.discountMinor).toBe(150);
    expect(order.taxMinor).toBe(225);
    expect(order.totalMinor).toBe(order.lines.reduce((sum, line) => sum + line.unitPriceMinor * line.quantity, 0) - 150 + 225);
    expect(live).toBe(money(order.totalMinor));
    expect(await page.getByTestId('order-total').textContent()).toBe(live);
  });
});

describe('WEB-018 a refused new order', () => {
  it('WEB-018 WEB-017 a discount over the subtotal is said in words with the form kept; the corrected form is sent with a new key', async () => {
    const page = await browser.page();
    await signIn(page, 'clerk@acme.test');
    const customer = newCustomer();
    await fillNewOrder(page, { customer, quantity: '1', discount: '99999', tax: '' });
    const keys = idempotencyKeys(page);
    const refused = page.waitForResponse((response) => isApi(response, 'POST', '/api/v1/orders'));
    await page.getByRole('button', { name: 'Create the order' }).click();
    expect((await refused).status()).toBe(422);
    await page.getByRole('alert').filter({ hasText: errorsEn.ORDER_DISCOUNT_EXCEEDS_SUBTOTAL }).waitFor();
    expect(await page.getByLabel('Discount').getAttribute('aria-invalid')).toBe('true');
    expect(await formValues(page)).toEqual({ name: customer.name, email: customer.email, discount: '99999', quantity: '1' });

    await page.getByLabel('Discount').fill('0.50');
    await page.getByRole('button', { name: 'Create the order' }).click();
    await page.waitForURL((url) => /^\/t\/acme\/orders\/[0-9a-f-]{36}$/.test(url.pathname));
    expect(keys.length).toBe(2);
    expect(keys[0]).not.toBe(keys[1]);
    expect((await listOrders(clerk, `?q=${encodeURIComponent(customer.name)}`)).length).toBe(1);
  });

  it('WEB-018 an order beyond the Free plan’s month (402 PLAN_LIMIT_REACHED) is said in words, the form kept', async () => {
    const owner = await client.newOwner({ name: 'Corner Shop' });
    const bearer = await client.token(owner, owner.organization.id);
    const store = await client.createStoreOnceProvisioned(bearer, 'Main Street');
    const product = await client.api(bearer, 'POST', '/products', { sku: 'MUG-1', name: 'Blue Mug', priceMinor: 1200 });
    expect(product.status).toBe(201);
    const productId = ((await product.json()) as { id: string }).id;
    for (let index = 0; index < 100; index += 1) {
      const response = await client.api(bearer, 'POST', '/orders', { storeId: store.id, customer: { name: `Buyer ${index}`, email: `buyer${index}@example.com` }, lines: [{ productId, quantity: 1 }] });
      expect(response.status).toBe(201);
    }

    const page = await browser.page();
    await signIn(page, owner.email, TEST_PASSWORD);
    await page.goto(`/t/${owner.organization.slug}/orders/new`);
    const customer = newCustomer();
    await page.getByLabel('Customer name').fill(customer.name);
    await page.getByLabel('Customer email').fill(customer.email);
    await page.getByRole('button', { name: 'Add Blue Mug' }).click();
    const refused = page.waitForResponse((response) => isApi(response, 'POST', '/api/v1/orders'));
    await page.getByRole('button', { name: 'Create the order' }).click();
    expect((await refused).status()).toBe(402);
    await page.getByRole('alert').filter({ hasText: englishSentence('PLAN_LIMIT_REACHED') }).waitFor();
    expect(await page.getByLabel('Customer name').inputValue()).toBe(customer.name);
    expect(await page.getByLabel('Quantity of Blue Mug').inputValue()).toBe('1');
  });
});

describe('WEB-010 WEB-011 the orders board', () => {
  it('WEB-010 shows a column per status, each order’s number, customer, total and store, and “show more” adds the next 50', async () => {
    const order = await createOrder();
    const page = await browser.page();
    await signIn(page, 'clerk@acme.test');
    await page.goto('/t/acme/orders/board');
    const columns = page.locator('section[data-status]');
    await card(page, 'PENDING', order.number).waitFor();
    expect(await columns.evaluateAll((sections) => sections.map((section) => section.getAttribute('data-status')))).toEqual(STATUSES);
    const text = await card(page, 'PENDING', order.number).textContent();
    for (const part of [`Order #${order.number}`, order.customer.name, money(order.totalMinor), order.store.name]) expect(text).toContain(part);

    const crowded = await statusWithMoreThan(50);
    const column = page.locator(`section[data-status="${crowded.status}"]`);
    await column.locator('li').nth(49).waitFor();
    expect(await column.locator('li').count()).toBe(50);
    await column.getByRole('button', { name: 'Show more' }).click();
    const expected = Math.min(crowded.total, 100);
    await column.locator('li').nth(expected - 1).waitFor();
    const numbers = await column.locator('li a').allTextContents();
    expect(numbers.length).toBe(expected);
    expect(new Set(numbers).size).toBe(expected);
  });

  it('WEB-011 as clerk@acme.test an order is dragged to CONFIRMED, moved to PACKED by its button and to SHIPPED on its page; cancelling is then offered nowhere', async () => {
    const order = await createOrder();
    const page = await browser.page();
    await signIn(page, 'clerk@acme.test');
    await page.goto('/t/acme/orders/board');

    await card(page, 'PENDING', order.number).dragTo(page.locator('section[data-status="CONFIRMED"]'));
    await page.getByRole('status').filter({ hasText: `Order #${order.number} is now Confirmed.` }).waitFor();
    await card(page, 'CONFIRMED', order.number).waitFor();

    const confirmed = card(page, 'CONFIRMED', order.number);
    await confirmed.getByRole('button', { name: `Move order #${order.number}` }).click();
    await confirmed.getByRole('button', { name: 'Mark as packed' }).waitFor();
    expect(await moveChoices(confirmed)).toEqual(['Mark as packed', 'Cancel order']);
    await confirmed.getByRole('button', { name: 'Mark as packed' }).click();
    await card(page, 'PACKED', order.number).waitFor();

    await card(page, 'PACKED', order.number).getByRole('link', { name: `Order #${order.number}` }).click();
    await page.getByRole('heading', { level: 1, name: `Order #${order.number}` }).waitFor();
    expect(await actions(page)).toEqual(['Mark as shipped', 'Cancel order']);
    await page.getByRole('button', { name: 'Mark as shipped' }).click();
    await page.getByRole('button', { name: 'Mark as delivered' }).waitFor();
    expect(await actions(page)).toEqual(['Mark as delivered']);
    expect((await orderOf(order.id)).status).toBe('SHIPPED');

    await page.goto('/t/acme/orders/board');
    const shipped = card(page, 'SHIPPED', order.number);
    await shipped.getByRole('button', { name: `Move order #${order.number}` }).click();
    await shipped.getByRole('button', { name: 'Mark as delivered' }).waitFor();
    expect(await moveChoices(shipped)).toEqual(['Mark as delivered']);
    // Dragging a shipped order back to PENDING is not a move it may make: nothing is sent, and it says so.
    const sent = statusChanges(page);
    await shipped.dragTo(page.locator('section[data-status="PENDING"]'));
    await page.getByRole('status').filter({ hasText: `Order #${order.number} cannot move from Shipped to Pending.` }).waitFor();
    expect(sent).toEqual([]);
    expect((await orderOf(order.id)).status).toBe('SHIPPED');
  });

  it('WEB-011 a move made stale by another tab is refused in words — in English, then in Spanish — and the order is shown as it is now', async () => {
    const order = await createOrder();
    const first = await browser.page();
    await signIn(first, 'clerk@acme.test');
    const second = await first.context().newPage();
    // A tab without live updates (WEB-071 would refresh it): its stale move reaches the server.
    await withoutLiveUpdates(second);
    for (const page of [first, second]) {
      await page.goto(`/t/acme/orders/${order.id}`);
      await page.getByRole('button', { name: 'Confirm' }).waitFor();
    }
    await first.getByRole('button', { name: 'Confirm' }).click();
    await first.getByRole('button', { name: 'Mark as packed' }).waitFor();

    const refused = second.waitForResponse((response) => isApi(response, 'POST', `/api/v1/orders/${order.id}/status`));
    await second.getByRole('button', { name: 'Confirm' }).click();
    expect((await refused).status()).toBe(409);
    const alert = second.getByRole('alert');
    await alert.filter({ hasText: errorsEn.VERSION_CONFLICT }).waitFor();
    await second.getByRole('button', { name: 'Mark as packed' }).waitFor();

    await second.getByLabel('Language').selectOption('es');
    await alert.filter({ hasText: errorsEs.VERSION_CONFLICT }).waitFor();
    expect(await alert.textContent()).not.toContain('VERSION_CONFLICT');
    await second.getByRole('button', { name: 'Marcar como empaquetado' }).waitFor();
    const history = (await orderOf(order.id)).statusHistory;
    expect(history.map((entry) => entry.to)).toEqual(['PENDING', 'CONFIRMED']);
  });
});

describe('WEB-013 an order’s page', () => {
  it('WEB-013 shows the lines, the totals in dollars and the history with who and when in New York time', async () => {
    const created = await createOrder({ quantities: [2, 3], discountMinor: 125, taxMinor: 310 });
    const changed = await client.api(clerk, 'POST', `/orders/${created.id}/status`, { status: 'CONFIRMED', version: 1 });
    expect(changed.status).toBe(200);
    const order = await orderOf(created.id);
    const page = await browser.page();
    await signIn(page, 'clerk@acme.test');
    await page.goto(`/t/acme/orders/${order.id}`);
    await page.getByRole('heading', { level: 1, name: `Order #${order.number}` }).waitFor();

    const rows = await page.getByRole('table', { name: 'Lines' }).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toEqual(order.lines.map((line) => [line.productName, line.sku, String(line.quantity), money(line.unitPriceMinor), money(line.lineTotalMinor)]));
    const totals = await page.locator('main dl').first().evaluate((list) => [...list.querySelectorAll('dd')].map((dd) => dd.textContent));
    expect(totals).toEqual([money(order.subtotalMinor), money(-order.discountMinor), money(order.taxMinor), money(order.totalMinor)]);

    const history = await page.getByRole('heading', { name: 'Status history' }).locator('xpath=..').locator('li').allTextContents();
    expect(history).toEqual([
      `Placed asPendingClara Clerk · ${newYorkTime(order.statusHistory[0]!.at)}`,
      `Pending→toConfirmedClara Clerk · ${newYorkTime(order.statusHistory[1]!.at)}`,
    ]);
  });
});

describe('WEB-014 notes are never silently overwritten', () => {
  it('WEB-014 a stale notes save in a second tab shows the conflict with “reload”, keeps its text, and saves it once reloaded', async () => {
    const order = await createOrder();
    const first = await browser.page();
    await signIn(first, 'clerk@acme.test');
    const second = await first.context().newPage();
    // A tab without live updates (WEB-074 covers notes changed live): its stale save reaches the server.
    await withoutLiveUpdates(second);
    for (const page of [first, second]) {
      await page.goto(`/t/acme/orders/${order.id}`);
      await page.getByRole('textbox', { name: 'Notes' }).waitFor();
    }
    const theirs = 'Leave the parcel with the neighbour.';
    const mine = 'Call the customer before delivering.';

    await first.getByRole('textbox', { name: 'Notes' }).fill(theirs);
    await first.getByRole('button', { name: 'Save notes' }).click();
    await first.getByRole('status').filter({ hasText: 'Notes saved.' }).waitFor();

    await second.getByRole('textbox', { name: 'Notes' }).fill(mine);
    await second.getByRole('button', { name: 'Save notes' }).click();
    await second.getByRole('alert').filter({ hasText: errorsEn.VERSION_CONFLICT }).waitFor();
    expect(await second.getByRole('textbox', { name: 'Notes' }).inputValue()).toBe(mine);
    expect((await orderOf(order.id)).notes).toBe(theirs);

    await second.getByRole('button', { name: 'Reload' }).click();
    await second.getByRole('status').filter({ hasText: theirs }).waitFor();
    expect(await second.getByRole('textbox', { name: 'Notes' }).inputValue()).toBe(mine);
    await second.getByRole('button', { name: 'Save notes' }).click();
    await second.getByRole('status').filter({ hasText: 'Notes saved.' }).waitFor();
    expect((await orderOf(order.id)).notes).toBe(mine);
  });

  it('WEB-014 a status change on the same page keeps the text being edited, and saving it then succeeds', async () => {
    const order = await createOrder();
    const page = await browser.page();
    await signIn(page, 'clerk@acme.test');
    await page.goto(`/t/acme/orders/${order.id}`);
    const notes = page.getByRole('textbox', { name: 'Notes' });
    await notes.fill('Gift wrap, please.');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'Mark as packed' }).waitFor();
    expect(await notes.inputValue()).toBe('Gift wrap, please.');
    await page.getByRole('button', { name: 'Save notes' }).click();
    await page.getByRole('status').filter({ hasText: 'Notes saved.' }).waitFor();
    expect(await orderOf(order.id)).toMatchObject({ status: 'CONFIRMED', notes: 'Gift wrap, please.', version: 3 });
  });
});

describe('WEB-015 another organization’s order', () => {
  it('WEB-015 as owner@globex.test an Acme order’s URL is not found, under Acme or under Globex, and no Acme data reaches the browser', async () => {
    const order = await createOrder();
    const page = await browser.page();
    const bodies: Promise<string>[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/api/')) bodies.push(response.text().catch(() => ''));
    });
    await signIn(page, 'owner@globex.test');

    await page.goto(`/t/acme/orders/${order.id}`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    const refused = page.waitForResponse((response) => isApi(response, 'GET', `/api/v1/orders/${order.id}`));
    await page.goto(`/t/globex/orders/${order.id}`);
    expect((await refused).status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page.goto('/t/globex/orders/not-an-id');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();

    const received = await Promise.all(bodies);
    expect(received.length).toBeGreaterThan(0);
    for (const body of received) {
      for (const secret of [order.id, order.customer.name, order.customer.email, `"number":${order.number},`, 'Acme Retail']) expect(body).not.toContain(secret);
    }
  });
});

describe('WEB-012 the orders table', () => {
  it('WEB-012 filters by search, status, store and days, keeps them in the URL across a reload, and loads more by cursor', async () => {
    const order = await createOrder();
    const day = newYorkDay(order.createdAt);
    const page = await browser.page();
    await signIn(page, 'clerk@acme.test');
    await page.goto('/t/acme/orders');
    await rows(page).nth(49).waitFor();

    await page.getByLabel('Search').fill(order.customer.name);
    await page.waitForURL((url) => url.searchParams.get('q') === order.customer.name);
    await expectOnly(page, order);
    await page.getByLabel('Status').selectOption('PENDING');
    await page.getByLabel('Store').selectOption(order.store.id);
    await page.getByLabel('Placed from').fill(day);
    await page.getByLabel('Placed until').fill(day);
    await page.waitForURL((url) => url.searchParams.get('to') === day);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ q: order.customer.name, status: 'PENDING', store: order.store.id, from: day, to: day });
    await expectOnly(page, order);
    const cells = await rows(page).first().locator('td').allTextContents();
    expect(cells[5]).toBe('1');
    expect(cells[6]).toBe(money(order.totalMinor));

    await page.reload();
    await expectOnly(page, order);
    expect(await page.getByLabel('Search').inputValue()).toBe(order.customer.name);
    expect(await page.getByLabel('Status').inputValue()).toBe('PENDING');

    await page.getByLabel('Status').selectOption('SHIPPED');
    await page.getByText('No order matches these filters.').waitFor();
    await page.getByLabel('Status').selectOption('PENDING');
    await page.getByLabel('Placed from').fill(nextDay(day));
    await page.getByText('The end date is before the start date.').waitFor();
    await page.getByLabel('Placed until').fill('');
    await page.getByText('No order matches these filters.').waitFor();

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText('Orders shown: 50; there are more.').waitFor();
    await page.getByRole('button', { name: 'Load more orders' }).click();
    await page.getByText('Orders shown: 100; there are more.').waitFor();
    const numbers = await rows(page).locator('td:first-child').allTextContents();
    expect(new Set(numbers).size).toBe(100);
    expect(numbers).toEqual((await listOrders(clerk, '?limit=100')).map((listed) => `#${listed.number}`));
  });
});

describe('WEB-019 accessibility of the orders pages', () => {
  it('WEB-019 the board, the table, an order and the new-order form (with a line) have no axe violations (WCAG 2 A and AA)', async () => {
    const [latest] = await listOrders(clerk, '?limit=1');
    const page = await browser.page();
    await signIn(page, 'clerk@acme.test');
    const violations: Record<string, string[]> = {};
    for (const [path, heading] of [
      ['/t/acme/orders/board', 'Orders board'],
      ['/t/acme/orders', 'Orders'],
      [`/t/acme/orders/${latest!.id}`, `Order #${latest!.number}`],
      ['/t/acme/orders/new', 'New order'],
    ] as const) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
      await page.waitForFunction("!document.body.textContent.includes('Loading…')");
      if (path.endsWith('/new')) await page.getByRole('list', { name: 'Products on sale' }).getByRole('button').first().click();
      const found = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      violations[path] = found.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    }
    expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((path) => [path, []])));
  });
});

/** The app's English sentence for a code (WEB-001 wants one for every code of the catalogue). */
function englishSentence(code: string): string {
  const sentence = (errorsEn as Record<string, string | undefined>)[code];
  if (sentence === undefined) throw new Error(`packages/web/src/i18n/errors.en.ts has no sentence for ${code}`);
  return sentence;
}

async function demoToken(email: string, slug: string): Promise<string> {
  const user = await client.signIn(email, DEMO_PASSWORD);
  const organization = (await client.myOrganizations(user.cookie)).find((candidate) => candidate.slug === slug);
  return client.token(user, organization!.id);
}

async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => /^\/t\/[^/]+\/stores$/.test(url.pathname));
}

function newCustomer(): { name: string; email: string } {
  const tag = randomUUID().slice(0, 8);
  return { name: `Customer ${tag}`, email: `customer-${tag}@example.com` };
}

/** Fills the new-order form: the first store, the customer, the first two products on sale (the first with `quantity`). */
async function fillNewOrder(page: Page, input: { customer: { name: string; email: string }; quantity: string; discount: string; tax: string }): Promise<void> {
  await page.goto('/t/acme/orders/new');
  await page.getByRole('heading', { level: 1, name: 'New order' }).waitFor();
  await page.getByLabel('Store').selectOption({ index: 1 });
  await page.getByLabel('Customer name').fill(input.customer.name);
  await page.getByLabel('Customer email').fill(input.customer.email);
  const products = page.getByRole('list', { name: 'Products on sale' });
  await products.getByRole('button').nth(0).click();
  await products.getByRole('button').nth(1).click();
  await page.getByLabel(/^Quantity of /).first().fill(input.quantity);
  await page.getByLabel('Discount').fill(input.discount);
  await page.getByLabel('Tax').fill(input.tax);
}

async function formValues(page: Page): Promise<Record<string, string>> {
  return {
    name: await page.getByLabel('Customer name').inputValue(),
    email: await page.getByLabel('Customer email').inputValue(),
    discount: await page.getByLabel('Discount').inputValue(),
    quantity: await page.getByLabel(/^Quantity of /).first().inputValue(),
  };
}

/** The `Idempotency-Key` of every order creation the page sends, from now on. */
function idempotencyKeys(page: Page): string[] {
  const keys: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/orders') keys.push(request.headers()['idempotency-key']!);
  });
  return keys;
}

/** The status changes the page sends, from now on. */
function statusChanges(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/status')) sent.push(request.url());
  });
  return sent;
}

function isApi(response: Response, method: string, pathname: string): boolean {
  return response.request().method() === method && new URL(response.url()).pathname === pathname;
}

/** An order's card in a column of the board. */
function card(page: Page, status: string, number: number): Locator {
  return page.locator(`section[data-status="${status}"] li`).filter({ has: page.getByRole('link', { name: `Order #${number}`, exact: true }) });
}

/** The moves a card's "Move" panel offers. */
function moveChoices(cardOf: Locator): Promise<string[]> {
  return cardOf.getByRole('group', { name: /^Moves of order/ }).getByRole('button').allTextContents();
}

/** The buttons of an order page's "Next step". */
function actions(page: Page): Promise<string[]> {
  return page.getByRole('heading', { name: 'Next step' }).locator('xpath=..').getByRole('button').allTextContents();
}

function rows(page: Page): Locator {
  return page.getByRole('table', { name: 'Orders' }).locator('tbody tr');
}

async function expectOnly(page: Page, order: Order): Promise<void> {
  await page.getByText('Orders shown: 1.').waitFor();
  expect(await rows(page).locator('td:first-child').allTextContents()).toEqual([`#${order.number}`]);
}

/** Money as the app shows Acme's (USD, English). */
function money(minor: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);
}

function newYorkTime(iso: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: ACME_ZONE }).format(new Date(iso));
}

/** The calendar day of an instant in New York, `YYYY-MM-DD`. */
function newYorkDay(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ACME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

async function listOrders(bearer: string, query: string): Promise<Listed[]> {
  const response = await client.api(bearer, 'GET', `/orders${query}`);
  return response.ok ? ((await response.json()) as { items: Listed[] }).items : [];
}

async function orderOf(orderId: string): Promise<Order> {
  const response = await client.api(clerk, 'GET', `/orders/${orderId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Order;
}

/** A status with more than `count` of Acme's orders, and how many it has (at most 200 counted). */
async function statusWithMoreThan(count: number): Promise<{ status: string; total: number }> {
  for (const status of STATUSES) {
    const total = (await listOrders(clerk, `?status=${status}&limit=200`)).length;
    if (total > count) return { status, total };
  }
  throw new Error(`no status has more than ${count} orders`);
}

/** A new PENDING order of clerk@acme.test, for a new customer, in Acme's first store. */
async function createOrder(options: { quantities?: number[]; discountMinor?: number; taxMinor?: number } = {}): Promise<Order> {
  const stores = await client.api(clerk, 'GET', '/stores');
  const products = await client.api(clerk, 'GET', '/products?active=true&limit=10');
  const [store] = ((await stores.json()) as { items: { id: string }[] }).items;
  const onSale = ((await products.json()) as { items: { id: string }[] }).items;
  const quantities = options.quantities ?? [1];
  const response = await client.api(clerk, 'POST', '/orders', {
    storeId: store!.id,
    customer: newCustomer(),
    lines: quantities.map((quantity, index) => ({ productId: onSale[index]!.id, quantity })),
    discountMinor: options.discountMinor ?? 0,
    taxMinor: options.taxMinor ?? 0,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Order;
}
