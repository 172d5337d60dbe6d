import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centralClient, type CentralClient } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { browserHarness } from './support/browser.ts';
import { startBrowserKeel } from './support/keel.ts';
import { useSession } from './team-ui.ts';

/**
 * A product's image in the browser: an owner picks a real image in the product's edit dialog, the
 * thumbnail is made by the worker and shows in the dialog and in the products table; a file that
 * is no image is refused in words.
 */
let keel: TestKeel;
let client: CentralClient;
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  keel = await startBrowserKeel({ KEEL_SEED: 'false', OUTBOX_POLL_INTERVAL_MS: '50' });
  client = centralClient(keel);
}, 120_000);

afterAll(async () => {
  await keel?.stop();
});

describe('CAT-049 product images in the web app', () => {
  it('CAT-049 an owner uploads an image from the edit dialog and sees its thumbnail there and in the products table; a file that is no image is told in words', async () => {
    const owner = await client.newOwner();
    const bearer = await client.token(owner, owner.organization.id);
    await client.createStoreOnceProvisioned(bearer, 'Tea house');
    expect((await client.api(bearer, 'POST', '/products', { sku: 'TEA-1', name: 'Green tea', priceMinor: 450 })).status).toBe(201);
    const page = await browser.page();
    await useSession(page, keel.url, owner.cookie);
    await page.goto(`/t/${owner.organization.slug}/products`);

    let dialog = await openEditor(page, 'Green tea');
    await dialog.getByText('No image yet.').waitFor();
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2f855a' } }).png().toBuffer();
    await dialog.getByLabel('Choose an image').setInputFiles({ name: 'tea.png', mimeType: 'image/png', buffer: png });
    await dialog.getByText('This is the product’s image.').waitFor();
    const large = dialog.getByRole('img', { name: 'Image of Green tea' });
    await large.waitFor();
    expect(await large.getAttribute('src')).toMatch(/^data:image\/webp;base64,/);

    await dialog.getByLabel('Replace the image').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    await dialog.getByText('This image could not be used: This file is not a readable JPEG, PNG or WebP image (of at most 50 megapixels).').waitFor();
    await dialog.getByLabel('Replace the image').setInputFiles({ name: 'tea.png', mimeType: 'image/png', buffer: png });
    await dialog.getByText('This is the product’s image.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const thumbnail = page.getByRole('row').filter({ hasText: 'Green tea' }).locator('img');
    // Decoded by the browser: the thumbnail's own width.
    await expect.poll(() => thumbnail.evaluate((element) => (element as unknown as { complete: boolean; naturalWidth: number }).naturalWidth)).toBe(256);
    dialog = await openEditor(page, 'Green tea');
    await dialog.getByRole('button', { name: 'Remove the image' }).click();
    await dialog.getByText('No image yet.').waitFor();
  });
});

async function openEditor(page: Awaited<ReturnType<typeof browser.page>>, productName: string) {
  await page.getByRole('button', { name: `Edit ${productName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit “${productName}”` });
  await dialog.waitFor();
  return dialog;
}
