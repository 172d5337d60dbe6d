/**
 * `npm run screenshots`: PNGs of the web app's main pages, in English and in Spanish, written to
 * docs/screenshots/<page>.<language>.png (1280×800, the visible part of the page).
 *
 * It runs under Vitest (scripts/screenshots.config.ts), not in `npm test`: the browser tests'
 * harness does the work — test/global-setup.ts starts an embedded PostgreSQL cluster,
 * `startBrowserKeel()` builds the web app when needed and starts Keel with the demo organizations,
 * `browserHarness()` drives Debian's Chromium — and Vitest's hooks stop all of it at the end, also
 * when a page fails (its trace and a screenshot are then kept under test-results/browser/).
 *
 * Every shot waits for its page's content (a heading, rows, cards), then until no spinner and no
 * busy region is left and the fonts are loaded; nothing sleeps.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Cookie, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../packages/web/src/i18n/messages.en.ts';
import { messagesEs } from '../packages/web/src/i18n/messages.es.ts';
import { centralClient } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { waitUntil } from '../test/support/queue-driver-contract.ts';
import { browserHarness } from '../e2e/support/browser.ts';
import { DEMO_PASSWORD, startBrowserKeel } from '../e2e/support/keel.ts';

const OUTPUT = path.join(import.meta.dirname, '..', 'docs', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };
const OWNER = 'owner@acme.test';
const LANGUAGES = { en: messagesEn, es: messagesEs } as const;

type Language = keyof typeof LANGUAGES;
type Words = Record<keyof typeof messagesEn, string>;

/** Acme's records the pages show, chosen once the demo data is in the region. */
interface Demo {
  storeId: string;
  storeName: string;
  orderId: string;
  orderNumber: number;
}

interface Shot {
  /** The file's name: `<name>.<language>.png`. */
  name: string;
  /** Shown signed out (no session cookie). */
  signedOut?: boolean;
  url(demo: Demo): string;
  /** Waits for the page's content (and may fill in a form), in the page's language. */
  ready(page: Page, words: Words, demo: Demo): Promise<void>;
}

const SHOTS: Shot[] = [
  {
    name: 'sign-in',
    signedOut: true,
    url: () => '/sign-in',
    ready: async (page, words) => {
      await heading(page, words['signIn.title']);
      await page.getByRole('button', { name: words['signIn.submit'] }).waitFor();
    },
  },
  {
    name: 'stores',
    url: () => '/t/acme/stores',
    ready: async (page, words) => {
      await heading(page, words['stores.title']);
      await page.locator('main article').first().waitFor();
    },
  },
  {
    name: 'store',
    url: (demo) => `/t/acme/stores/${demo.storeId}`,
    ready: async (page, _words, demo) => {
      await heading(page, demo.storeName);
      await page.locator('main article').first().waitFor();
    },
  },
  {
    name: 'products',
    url: () => '/t/acme/products',
    ready: async (page, words) => {
      await heading(page, words['products.title']);
      await page.locator('main table tbody tr').first().waitFor();
    },
  },
  {
    name: 'orders-board',
    url: () => '/t/acme/orders/board',
    ready: async (page, words) => {
      await heading(page, words['board.title']);
      await page.locator('section[data-status] li').first().waitFor();
    },
  },
  {
    name: 'orders',
    url: () => '/t/acme/orders',
    ready: async (page, words) => {
      await heading(page, words['orders.title']);
      await page.locator('main table tbody tr').first().waitFor();
    },
  },
  {
    name: 'order',
    url: (demo) => `/t/acme/orders/${demo.orderId}`,
    ready: async (page, words, demo) => {
      await heading(page, words['order.title'].replace('{number}', String(demo.orderNumber)));
      await page.getByTestId('order-total').waitFor();
    },
  },
  {
    name: 'new-order',
    url: () => '/t/acme/orders/new',
    ready: async (page, words) => {
      await heading(page, words['newOrder.title']);
      await page.getByLabel(words['orders.store'], { exact: true }).selectOption({ index: 1 });
      await page.getByLabel(words['newOrder.customerName']).fill('Maya Jensen');
      await page.getByLabel(words['newOrder.customerEmail']).fill('maya.jensen@example.com');
      const products = page.getByRole('list', { name: words['newOrder.products'] }).getByRole('button');
      await products.nth(0).click();
      await products.nth(2).click();
      await page.getByTestId('live-total').waitFor();
    },
  },
  {
    name: 'members',
    url: () => '/t/acme/members',
    ready: async (page, words) => {
      await heading(page, words['members.title']);
      await page.locator('main table tbody tr').first().waitFor();
    },
  },
  {
    name: 'api-keys',
    url: () => '/t/acme/api-keys',
    ready: (page, words) => heading(page, words['apiKeys.title']),
  },
  {
    name: 'audit',
    url: () => '/t/acme/audit',
    ready: (page, words) => heading(page, words['audit.title']),
  },
  {
    name: 'billing',
    url: () => '/t/acme/billing',
    ready: (page, words) => heading(page, words['billing.title']),
  },
  {
    name: 'imports',
    url: () => '/t/acme/imports',
    ready: (page, words) => heading(page, words['imports.title']),
  },
  {
    name: 'webhooks',
    url: () => '/t/acme/webhooks',
    ready: (page, words) => heading(page, words['webhooks.title']),
  },
  {
    name: 'dead-letters',
    url: () => '/t/acme/dead-letters',
    ready: (page, words) => heading(page, words['deadLetters.title']),
  },
  {
    name: 'account',
    url: () => '/account',
    ready: async (page, words) => {
      await heading(page, words['account.title']);
      await page.getByText(words['account.sessions.current']).first().waitFor();
    },
  },
];

let keel: TestKeel;
let demo: Demo;
/** owner@acme.test's session, signed in once through the sign-in page and given to every shot's browser context. */
let session: Cookie[];
const started = performance.now();
const written: string[] = [];
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  await mkdir(OUTPUT, { recursive: true });
  keel = await startBrowserKeel();
  session = await signInThroughThePage();
  demo = await acmeDemo(session);
}, 180_000);

afterAll(async () => {
  await keel?.stop();
  console.log(`${written.length} screenshots in ${path.relative(process.cwd(), OUTPUT)}/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

describe.each(Object.keys(LANGUAGES) as Language[])('in %s', (language) => {
  it.each(SHOTS)('$name', async (shot) => {
    const words = LANGUAGES[language];
    const page = await browser.page();
    await page.setViewportSize(VIEWPORT);
    await page.addInitScript((chosen) => localStorage.setItem('keel.language', chosen), language);
    if (shot.signedOut !== true) await page.context().addCookies(session);
    await page.goto(shot.url(demo));
    await shot.ready(page, words, demo);
    expect(await page.getAttribute('html', 'lang')).toBe(language);
    await settled(page);
    const file = path.join(OUTPUT, `${shot.name}.${language}.png`);
    await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
    written.push(file);
  });
});

function heading(page: Page, name: string): Promise<void> {
  return page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** Scrolled to the top, no control focused or hovered; then until nothing is loading (no spinner, no busy region) and the fonts are in. */
async function settled(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.evaluate('document.activeElement?.blur(); window.scrollTo(0, 0)');
  await page.waitForFunction(`document.fonts.status === 'loaded' && document.querySelector('.animate-spin, [aria-busy="true"]') === null`);
}

/** Signs owner@acme.test in on the sign-in page, as a person does, and returns the session's cookies. */
async function signInThroughThePage(): Promise<Cookie[]> {
  const page = await browser.newPage();
  await page.goto('/sign-in');
  await page.getByLabel(messagesEn['field.email']).fill(OWNER);
  await page.getByLabel(messagesEn['field.password']).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: messagesEn['signIn.submit'] }).click();
  await page.waitForURL('**/t/acme/stores');
  return page.context().cookies();
}

/**
 * Waits until the region has Acme's demo data (it arrives from central's feed in one transaction),
 * then picks the store with the most reviews and a shipped order with several lines and notes.
 */
async function acmeDemo(cookies: Cookie[]): Promise<Demo> {
  const client = centralClient(keel);
  const cookie = cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
  const acme = (await client.myOrganizations(cookie)).find((organization) => organization.slug === 'acme');
  const bearer = await client.token({ cookie }, acme!.id);
  const get = async <T>(pathAndQuery: string): Promise<T> => {
    const response = await client.api(bearer, 'GET', pathAndQuery);
    if (!response.ok) throw new Error(`GET /api/v1${pathAndQuery} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  await waitUntil(async () => {
    const response = await client.api(bearer, 'GET', '/orders?limit=1');
    return response.ok && ((await response.json()) as { items: unknown[] }).items.length > 0;
  });

  const stores = await get<{ items: { id: string; name: string; reviewCount: number }[] }>('/stores');
  const store = stores.items.toSorted((a, b) => b.reviewCount - a.reviewCount)[0]!;
  const shipped = await get<{ items: { id: string }[] }>('/orders?status=SHIPPED&limit=50');
  for (const { id } of shipped.items) {
    const order = await get<{ id: string; number: number; lines: unknown[]; notes: string }>(`/orders/${id}`);
    if (order.lines.length >= 2 && order.notes !== '') return { storeId: store.id, storeName: store.name, orderId: order.id, orderNumber: order.number };
  }
  throw new Error('Acme has no shipped order with several lines and notes among its latest 50');
}
