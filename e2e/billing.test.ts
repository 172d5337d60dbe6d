import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsEn } from '../packages/web/src/i18n/errors.en.ts';
import { formatDateTime } from '../packages/web/src/i18n/format.ts';
import { addMember, centralClient, type CentralClient, type Owner } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { browserHarness } from './support/browser.ts';
import { startBrowserKeel } from './support/keel.ts';
import { axeViolations, expectNoAxeViolations, useSession } from './team-ui.ts';

/**
 * The billing page in a real browser: an owner of a new organization (Free) sees the plan and its
 * usage, upgrades, cancels with the consequence said first, and resumes. Each test has its own
 * organization, made through the API (the organization pages have their own tests).
 */
let keel: TestKeel;
let client: CentralClient;
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  keel = await startBrowserKeel();
  client = centralClient(keel);
}, 120_000);

afterAll(async () => {
  await keel?.stop();
});

describe('Billing page', () => {
  it('WEB-060 WEB-061 WEB-062 WEB-064 an owner on Free sees usage bars, upgrades to Pro, reads the cancellation consequence before confirming, cancels and resumes', async () => {
    const owner = await client.newOwner();
    const page = await openBilling(owner);

    await page.getByText('Free plan', { exact: true }).waitFor();
    await page.getByText('Free, with no end date.').waitFor();
    expect(await bar(page, 'Stores')).toEqual({ now: '0', max: '1', text: '0 of 1' });
    expect(await bar(page, 'Members')).toEqual({ now: '1', max: '3', text: '1 of 3' });
    expect(await bar(page, 'Orders this month')).toEqual({ now: '0', max: '100', text: '0 of 100' });

    await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
    const upgrade = page.getByRole('dialog', { name: 'Upgrade to Pro?' });
    await upgrade.getByText('Pro applies at once: $49.00 is charged now for a month starting today, and its limits apply right away.').waitFor();
    await upgrade.getByRole('button', { name: 'Upgrade now' }).click();
    await upgrade.waitFor({ state: 'detached' });
    await page.getByText('Pro plan', { exact: true }).waitFor();
    expect(await bar(page, 'Stores')).toEqual({ now: '0', max: '10', text: '0 of 10' });
    expect(await bar(page, 'Members')).toEqual({ now: '1', max: '25', text: '1 of 25' });
    expect(await bar(page, 'Orders this month')).toEqual({ now: '0', max: '10000', text: '0 of 10,000' });

    const periodEnd = await subscriptionPeriodEnd(owner);
    const endText = formatDateTime(periodEnd, owner.organization.timezone, 'en', 'dateTime');
    await page.getByText(`Renews on ${endText}.`).waitFor();
    await page.getByRole('button', { name: 'Cancel the subscription' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel the Pro plan?' });
    await cancel.getByText(`Full access to Pro continues until ${endText}. Then the organization moves to Free, with all its data kept.`).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await cancel.getByRole('button', { name: 'Cancel the subscription' }).click();
    await cancel.waitFor({ state: 'detached' });
    await page.getByText(`Pro ends on ${endText}. Then the organization moves to Free, with all its data kept.`).waitFor();

    await page.getByRole('button', { name: 'Resume Pro' }).click();
    await page.getByText(`Renews on ${endText}.`).waitFor();
    expect(await subscriptionPeriodEnd(owner)).toBe(periodEnd);

    await expectNoAxeViolations(page, {
      en: () => page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor(),
      es: () => page.getByRole('heading', { name: 'Facturación', level: 1 }).waitFor(),
    });
  });

  it('WEB-063 WEB-060 a downgrade the organization has outgrown is refused in words naming what to reduce; on Platinum every limit reads unlimited', async () => {
    const owner = await client.newOwner();
    expect((await client.central('POST', `/organizations/${owner.organization.id}/subscription/upgrade`, { cookie: owner.cookie, body: { plan: 'pro' } })).status).toBe(200);
    for (const name of ['First key', 'Second key']) {
      expect((await client.central('POST', `/organizations/${owner.organization.id}/api-keys`, { cookie: owner.cookie, body: { name, role: 'member' } })).status).toBe(201);
    }
    const page = await openBilling(owner);

    await page.getByRole('button', { name: 'Downgrade to Free' }).click();
    const dialog = page.getByRole('dialog', { name: 'Downgrade to Free?' });
    await dialog.getByRole('button', { name: 'Downgrade at period end' }).click();
    expect(await dialog.getByRole('alert').textContent()).toBe(`${errorsEn.PLAN_DOWNGRADE_BLOCKED} API keys: 2 in use, Free allows 1.`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Pro plan', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Upgrade to Platinum' }).click();
    await page.getByRole('dialog', { name: 'Upgrade to Platinum?' }).getByRole('button', { name: 'Upgrade now' }).click();
    await page.getByText('Platinum plan', { exact: true }).waitFor();
    await page.getByText('2 · unlimited').waitFor();
    expect(await page.getByRole('progressbar').count()).toBe(0);
  });

  it('WEB-060 an admin is offered no Billing entry and is told in words that the page is for owners', async () => {
    const owner = await client.newOwner();
    const admin = await addMember(client, owner, 'admin');
    const page = await browser.page();
    await useSession(page, keel.url, admin.cookie);
    await page.goto(`/t/${owner.organization.slug}/billing`);
    expect(await page.getByRole('alert').textContent()).toContain(errorsEn.FORBIDDEN_ROLE);
    expect(await page.getByRole('navigation', { name: 'Organization' }).getByRole('link').allTextContents()).not.toContain('Billing');
  });
});

async function openBilling(owner: Owner): Promise<Page> {
  const page = await browser.page();
  await useSession(page, keel.url, owner.cookie);
  await page.goto(`/t/${owner.organization.slug}/stores`);
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Billing' }).click();
  await page.getByRole('heading', { name: 'Billing', level: 1 }).waitFor();
  return page;
}

/** The progress bar of a limit: its value, maximum and the words read out. */
async function bar(page: Page, label: string): Promise<{ now: string | null; max: string | null; text: string | null }> {
  const meter = page.getByRole('progressbar', { name: label, exact: true });
  await meter.waitFor();
  return { now: await meter.getAttribute('aria-valuenow'), max: await meter.getAttribute('aria-valuemax'), text: await meter.getAttribute('aria-valuetext') };
}

async function subscriptionPeriodEnd(owner: Owner): Promise<string> {
  const response = await client.central('GET', `/organizations/${owner.organization.id}/subscription`, { cookie: owner.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { currentPeriodEnd: string }).currentPeriodEnd;
}
