import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralClient, type CentralClient } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { waitUntil } from '../test/support/queue-driver-contract.ts';
import { browserHarness } from './support/browser.ts';
import { DEMO_PASSWORD, startBrowserKeel } from './support/keel.ts';
import { realtimeSwitch } from './support/realtime.ts';

/**
 * Two staff of Acme Retail — Adam Admin and Clara Clerk, each in a browser context of their own —
 * on the live board and an order's page (specs/web.md WEB-070..WEB-075). Clara's `/realtime`
 * traffic goes through a switch the test flips to drop her connection.
 */

interface Order {
  id: string;
  number: number;
  status: string;
  version: number;
  notes: string;
}

let keel: TestKeel;
let client: CentralClient;
/** clerk@acme.test's token for Acme Retail. */
let clerk: string;
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  keel = await startBrowserKeel();
  client = centralClient(keel);
  const user = await client.signIn('clerk@acme.test', DEMO_PASSWORD);
  const acme = (await client.myOrganizations(user.cookie)).find((organization) => organization.slug === 'acme');
  clerk = await client.token(user, acme!.id);
  // The region fills the demo organization from central's feed: its stores show when all of it is there.
  await waitUntil(async () => (await client.api(clerk, 'GET', '/stores')).ok && (await client.api(clerk, 'GET', '/orders?limit=1').then((response) => response.json() as Promise<{ items: unknown[] }>)).items.length > 0);
}, 120_000);

afterAll(async () => {
  await keel?.stop();
});

describe('WEB-070..WEB-075 the live board and order page', () => {
  it('WEB-070 WEB-071 WEB-072 WEB-073 WEB-074 WEB-075 one moves an order and the other sees it move; both see each other; notes changed meanwhile keep the text being edited; after a dropped connection the view equals the database', async () => {
    const order = await createOrder();
    const adam = await browser.page();
    const clara = await browser.newPage();
    const claraLink = await realtimeSwitch(clara.context());
    await signIn(adam, 'admin@acme.test');
    await signIn(clara, 'clerk@acme.test');

    // WEB-072: on the board, each sees the other.
    await Promise.all([adam.goto('/t/acme/orders/board'), clara.goto('/t/acme/orders/board')]);
    await presence(adam, 'Clara Clerk').waitFor();
    await presence(clara, 'Adam Admin').waitFor();

    // WEB-071: Adam confirms the order; Clara's board moves it, and says who did.
    const adamsCard = card(adam, 'PENDING', order.number);
    await adamsCard.getByRole('button', { name: `Move order #${order.number}` }).click();
    await adamsCard.getByRole('button', { name: 'Confirm' }).click();
    await card(clara, 'CONFIRMED', order.number).waitFor();
    expect(await card(clara, 'PENDING', order.number).count()).toBe(0);
    await clara.getByRole('status').filter({ hasText: `Adam Admin moved order #${order.number} to Confirmed.` }).waitFor();

    // WEB-072 WEB-073: both open the order; Clara starts typing notes, which Adam sees.
    await card(adam, 'CONFIRMED', order.number).getByRole('link', { name: `Order #${order.number}` }).click();
    await card(clara, 'CONFIRMED', order.number).getByRole('link', { name: `Order #${order.number}` }).click();
    await presence(clara, 'Adam Admin').waitFor();
    await notes(clara).fill('Leave at the back door');
    await presence(adam, 'Clara Clerk, editing').waitFor();
    await adam.getByTestId('notes-editors').filter({ hasText: 'Clara Clerk' }).waitFor();

    // WEB-074: Adam saves other notes; Clara is told by whom, her text stays, and she keeps hers.
    await notes(adam).fill('Call before delivery');
    await adam.getByRole('button', { name: 'Save notes' }).click();
    const changed = clara.getByTestId('notes-changed');
    await changed.filter({ hasText: 'Adam Admin changed the notes while you were editing.' }).waitFor();
    expect(await changed.locator('blockquote').textContent()).toBe('Call before delivery');
    expect(await notes(clara).inputValue()).toBe('Leave at the back door');
    await changed.getByRole('button', { name: 'Keep mine' }).click();
    await clara.getByRole('button', { name: 'Save notes' }).click();
    await clara.getByText('Notes saved.').waitFor();
    expect((await orderOf(order.id)).notes).toBe('Leave at the back door');

    // WEB-075: Clara's connection drops; meanwhile the order moves on. Reconnected, she sees it as it is.
    await claraLink.drop();
    await clara.getByTestId('live-reconnecting').waitFor();
    const now = await orderOf(order.id);
    const packed = await client.api(clerk, 'POST', `/orders/${order.id}/status`, { status: 'PACKED', version: now.version });
    expect(packed.status).toBe(200);
    claraLink.restore();
    await clara.getByTestId('live-reconnecting').waitFor({ state: 'detached' });
    const database = await orderOf(order.id);
    await waitUntil(async () => (await statusShown(clara)) === 'Packed');
    expect({ status: await statusShown(clara), notes: await notes(clara).inputValue() }).toEqual({ status: 'Packed', notes: database.notes });
    expect(database.status).toBe('PACKED');
  }, 60_000);
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => /^\/t\/[^/]+\/stores$/.test(url.pathname));
}

function presence(page: Page, name: string): Locator {
  return page.getByTestId('presence').getByRole('listitem', { name, exact: true });
}

function card(page: Page, status: string, number: number): Locator {
  return page.locator(`section[data-status="${status}"] li`).filter({ has: page.getByRole('link', { name: `Order #${number}`, exact: true }) });
}

function notes(page: Page): Locator {
  return page.getByRole('textbox', { name: 'Notes' });
}

function statusShown(page: Page): Promise<string | null> {
  return page.getByTestId('order-status').textContent();
}

async function orderOf(orderId: string): Promise<Order> {
  const response = await client.api(clerk, 'GET', `/orders/${orderId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Order;
}

/** A new PENDING order of clerk@acme.test in Acme's first store: the newest, so first in its column. */
async function createOrder(): Promise<Order> {
  const stores = (await (await client.api(clerk, 'GET', '/stores')).json()) as { items: { id: string }[] };
  const products = (await (await client.api(clerk, 'GET', '/products?active=true&limit=1')).json()) as { items: { id: string }[] };
  const tag = randomUUID().slice(0, 8);
  const response = await client.api(clerk, 'POST', '/orders', {
    storeId: stores.items[0]!.id,
    customer: { name: `Customer ${tag}`, email: `customer-${tag}@example.com` },
    lines: [{ productId: products.items[0]!.id, quantity: 1 }],
    discountMinor: 0,
    taxMinor: 0,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Order;
}
