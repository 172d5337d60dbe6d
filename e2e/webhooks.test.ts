import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, centralClient, upgradePlanInRegion, type CentralClient, type Owner } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { waitUntil } from '../test/support/queue-driver-contract.ts';
import { browserHarness } from './support/browser.ts';
import { startBrowserKeel } from './support/keel.ts';
import { rowWith, useSession } from './team-ui.ts';

/**
 * The webhooks and dead letters pages in a real browser, against a real receiver on 127.0.0.1
 * (private targets allowed, as in development): register → secret once → a failing delivery in
 * the log → its dead letter inspected and replayed once the receiver works → disable and delete.
 */
let keel: TestKeel;
let client: CentralClient;
let server: Server;
let healthy = false;
const received: { headers: IncomingHttpHeaders; status: number }[] = [];
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  keel = await startBrowserKeel({ KEEL_SEED: 'false', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_MAX_ATTEMPTS: '2', WEBHOOK_RETRY_BASE_DELAY_MS: '10' });
  client = centralClient(keel);
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const status = healthy ? 200 : 500;
      received.push({ headers: request.headers, status });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await keel?.stop();
});

async function createOrder(owner: Owner): Promise<void> {
  const token = await client.token(owner, owner.organization.id);
  const store = await client.createStoreOnceProvisioned(token, 'Hooked store');
  const product = (await (await client.api(token, 'POST', '/products', { sku: 'HOOK-1', name: 'Hook', priceMinor: 500 })).json()) as { id: string };
  const order = await client.api(token, 'POST', '/orders', { storeId: store.id, customer: { name: 'Ada', email: 'ada@example.com' }, lines: [{ productId: product.id, quantity: 1 }] });
  expect(order.status).toBe(201);
}

describe('WEB-100 WEB-101 WEB-102 WEB-103 WEB-104 webhooks and dead letters', () => {
  it('WEB-101 WEB-103 WEB-104 WEB-102 an owner registers an endpoint, sees its secret once, follows a failing delivery to its dead letter, replays it, then disables and deletes the endpoint', async () => {
    const owner = await client.newOwner();
    await upgradePlanInRegion(client, owner, 'pro');
    const page = await browser.page();
    await useSession(page, keel.url, owner.cookie);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;

    await page.goto(`/t/${owner.organization.slug}/webhooks`);
    await page.getByText('No webhook endpoints yet.').waitFor();
    await page.getByLabel('Endpoint URL').fill('ftp://example.com');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('Enter a full https:// address, without a user name or password.').waitFor();
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByLabel('Order notes changed').uncheck();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByText('Copy it now: Keel shows it only this once.', { exact: false }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Signing secret' }).inputValue()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByRole('textbox', { name: 'Signing secret' }).count()).toBe(0);
    await rowWith(page, url).getByText('Order created, Order status changed').waitFor();
    await rowWith(page, url).getByText('Active', { exact: true }).waitFor();

    await createOrder(owner);
    await waitUntil(async () => received.length === 2);
    await rowWith(page, url).getByRole('button', { name: 'Delivery log' }).click();
    const log = page.getByRole('region', { name: `Deliveries to ${url}` });
    await log.getByText('The endpoint answered with an error status.').first().waitFor();
    await waitUntil(async () => (await log.getByRole('row').count()) === 3); // the header and both attempts

    const token = await client.token(owner, owner.organization.id);
    await waitUntil(async () => ((await (await client.api(token, 'GET', '/dead-letters?status=open')).json()) as { items: unknown[] }).items.length === 1);

    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Dead letters' }).click();
    const deadLetter = rowWith(page, 'webhook-delivery');
    await deadLetter.getByText('The endpoint answered with an error status.').waitFor();
    await deadLetter.getByRole('button', { name: 'Inspect' }).click();
    await page.getByText(received[0]!.headers['keel-webhook-id'] as string, { exact: false }).first().waitFor();
    await page.getByText('"endpointId"', { exact: false }).waitFor();
    healthy = true;
    await deadLetter.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('status').getByText('Sent again.', { exact: false }).waitFor();
    await page.getByText('No dead letters here.').waitFor();
    await waitUntil(async () => received.length === 3);
    expect(received.map((request) => request.headers['keel-webhook-id'])).toEqual(Array(3).fill(received[0]!.headers['keel-webhook-id']));
    await page.getByLabel('Show').selectOption('replayed');
    await rowWith(page, 'webhook-delivery').waitFor();

    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Webhooks' }).click();
    const first = received[0]!;
    await rowWith(page, url).getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByText('for 24 hours it also signs with the current one', { exact: false }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    expect(await page.getByRole('textbox', { name: 'Signing secret' }).inputValue()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(first).toBe(received[0]);
    await rowWith(page, url).getByRole('button', { name: 'Disable' }).click();
    await rowWith(page, url).getByText('Disabled', { exact: true }).waitFor();
    await rowWith(page, url).getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('queued ones included', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No webhook endpoints yet.').waitFor();
  });

  it('WEB-100 a member is offered neither page and is told FORBIDDEN_ROLE in words', async () => {
    const owner = await client.newOwner();
    const member = await addMember(client, owner, 'member');
    const page = await browser.page();
    await useSession(page, keel.url, member.cookie);
    await page.goto(`/t/${owner.organization.slug}/webhooks`);
    const links = await page.getByRole('navigation', { name: 'Organization' }).getByRole('link').allTextContents();
    expect(links).not.toContain('Webhooks');
    expect(links).not.toContain('Dead letters');
    await page.getByText('Your role in this organization does not allow this.').waitFor();
    await page.goto(`/t/${owner.organization.slug}/dead-letters`);
    await page.getByText('Your role in this organization does not allow this.').waitFor();
  });
});
