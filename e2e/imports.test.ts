import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsEn } from '../packages/web/src/i18n/errors.en.ts';
import { errorsEs } from '../packages/web/src/i18n/errors.es.ts';
import { addMember, centralClient, type CentralClient } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { browserHarness } from './support/browser.ts';
import { startBrowserKeel } from './support/keel.ts';
import { rowWith, useSession } from './team-ui.ts';

/**
 * The imports pages in a browser: a CSV with one bad row dropped on the page, its upload and its
 * import followed to "Done", then its report naming the bad row and why, in words.
 */
let keel: TestKeel;
let client: CentralClient;
const browser = browserHarness(() => keel.url);

const CSV = 'sku,name,price_minor\nTEA-1,Green tea,450\nTEA-2,Black tea,4.50\nTEA-3,White tea,700\n';

beforeAll(async () => {
  keel = await startBrowserKeel({ KEEL_SEED: 'false', OUTBOX_POLL_INTERVAL_MS: '50' });
  client = centralClient(keel);
}, 120_000);

afterAll(async () => {
  await keel?.stop();
});

describe('WEB-090 WEB-091 importing a CSV in the browser', () => {
  it('WEB-090 WEB-091 an owner drops a CSV with one bad row, watches it finish, and reads the report of the bad row', async () => {
    const owner = await client.newOwner();
    await client.createStoreOnceProvisioned(await client.token(owner, owner.organization.id), 'Tea house');
    const page = await browser.page();
    await useSession(page, keel.url, owner.cookie);
    await page.goto(`/t/${owner.organization.slug}/imports`);
    await page.getByText('No imports yet.').waitFor();

    // A drop, as a browser makes it from a file dragged off the desktop.
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([${JSON.stringify(CSV)}], 'teas.csv', { type: 'text/csv' }));
      return transfer;
    })()`);
    await page.getByTestId('import-drop-zone').dispatchEvent('drop', { dataTransfer });
    await page.getByRole('status').getByText('teas.csv is uploaded and queued.').waitFor();
    const row = rowWith(page, 'teas.csv');
    await row.getByText('Done', { exact: true }).waitFor();
    await row.getByText('2 imported, 1 rejected').waitFor();
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');

    await row.getByRole('link', { name: 'Report' }).click();
    await page.getByRole('heading', { name: 'Import of teas.csv' }).waitFor();
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await rejected.getByRole('row', { name: '3 Some fields are not valid. Check them and try again. price_minor' }).waitFor();
    expect(await rejected.getByRole('row').count()).toBe(2);


    // A file chosen with the file input, whose header lacks a column: the import fails, in words.
    await page.getByRole('link', { name: 'All imports' }).click();
    await page.getByLabel('Choose a file').setInputFiles({ name: 'no-price.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,name\nTEA-9,Oolong\n') });
    await rowWith(page, 'no-price.csv').getByText('Failed', { exact: true }).waitFor();
    await rowWith(page, 'no-price.csv').getByRole('link', { name: 'Report' }).click();
    await page.getByRole('alert').getByText(`The import failed: ${errorsEn.IMPORT_HEADER_INVALID}`).waitFor();
    await page.getByRole('link', { name: 'All imports' }).click();
    await rowWith(page, 'teas.csv').getByRole('link', { name: 'Report' }).click();

    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('table', { name: 'Filas rechazadas' }).getByRole('row', { name: `3 ${errorsEs.VALIDATION_FAILED} price_minor` }).waitFor();
  });

  it('WEB-090 a member is not offered the imports page', async () => {
    const owner = await client.newOwner();
    const member = await addMember(client, owner, 'member');
    const page = await browser.page();
    await useSession(page, keel.url, member.cookie);
    await page.goto(`/t/${owner.organization.slug}/stores`);
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Stores' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Imports' }).count()).toBe(0);
  });
});
