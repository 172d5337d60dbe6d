import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsEn } from '../packages/web/src/i18n/errors.en.ts';
import { centralClient, newEmail, type CentralClient } from '../test/support/central-client.ts';
import type { TestKeel } from '../test/support/keel.ts';
import { browserHarness } from './support/browser.ts';
import { startBrowserKeel } from './support/keel.ts';
import { emailedLink, expectNoAxeViolations, signIn, useSession } from './team-ui.ts';

/**
 * A person's own account in a real browser: the password (changed, or reset with an emailed link)
 * and the sessions. Each test signs up an account of its own.
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

describe('WEB-046 changing the password', () => {
  it('WEB-046 a wrong current password and a too short new one are told next to their fields; the change signs out every other session but this browser', async () => {
    const user = await client.signUp();
    const page = await browser.page();
    await signIn(page, user.email);
    await page.goto('/account');
    const form = page.getByRole('region', { name: 'Change your password' });

    await changePassword(form, 'not my password', 'a brand new password');
    expect(await fieldError(form, 'Current password')).toBe(errorsEn.AUTH_CURRENT_PASSWORD_WRONG);
    await changePassword(form, 'correct horse battery', 'too short');
    expect(await fieldError(form, 'New password')).toBe(errorsEn.AUTH_PASSWORD_TOO_WEAK);
    expect(await isSignedIn(user.cookie)).toBe(true);

    expect(await form.getByLabel('Sign out everywhere else').isChecked()).toBe(true);
    await changePassword(form, 'correct horse battery', 'a brand new password');
    await form.getByRole('status').getByText('Your password has been changed, and every other session has been signed out.').waitFor();
    expect(await isSignedIn(user.cookie)).toBe(false);
    await page.reload();
    await expect.poll(() => sessionRows(page).count()).toBe(1);
    await sessionRows(page).getByText('This browser').waitFor();
    await client.signIn(user.email, 'a brand new password');
  });
});

describe('WEB-047 sessions', () => {
  it('WEB-047 lists the sessions with this browser marked; signing out another ends it, signing out this one signs this browser out', async () => {
    const user = await client.signUp();
    const page = await browser.page();
    await signIn(page, user.email);
    await page.goto('/account');

    await expect.poll(() => sessionRows(page).count()).toBe(2);
    const here = sessionRows(page).filter({ hasText: 'This browser' });
    expect(await here.count()).toBe(1);
    expect(await here.locator('td').nth(0).textContent()).toMatch(/^Chrome on LinuxThis browser/);
    expect(await here.locator('td').nth(1).textContent()).toBe('127.0.0.1');

    await sessionRows(page).filter({ hasNotText: 'This browser' }).getByRole('button', { name: /^Sign out/ }).click();
    await expect.poll(() => sessionRows(page).count()).toBe(1);
    expect(await isSignedIn(user.cookie)).toBe(false);

    await here.getByRole('button', { name: 'Sign out here' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.goto('/account');
    await page.waitForURL((url) => url.pathname === '/sign-in');
  });
});

describe('WEB-048 forgetting the password', () => {
  it('WEB-048 the same words whether or not the account exists; the emailed link sets a new password to sign in with, once', async () => {
    const user = await client.signUp();
    const page = await browser.page();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    expect(await askForLink(page, user.email)).toBe(`If an account exists for ${user.email}, a link is on its way. It works once, within an hour.`);
    const nobody = newEmail();
    await page.reload();
    expect(await askForLink(page, nobody)).toBe(`If an account exists for ${nobody}, a link is on its way. It works once, within an hour.`);

    const link = await emailedLink(client, user.email, '/reset-password');
    await page.goto(link);
    await setNewPassword(page, 'too short');
    expect(await page.getByRole('alert').textContent()).toBe(errorsEn.AUTH_PASSWORD_TOO_WEAK);
    await setNewPassword(page, 'a password from the link');
    await page.getByRole('status').getByText('Your password has been changed').waitFor();
    await page.getByRole('link', { name: 'Go to sign in' }).click();
    await signIn(page, user.email, 'a password from the link');
    await page.waitForURL('**/organizations/new');

    await page.goto(link);
    await setNewPassword(page, 'yet another password');
    expect(await page.getByRole('alert').textContent()).toBe(errorsEn.AUTH_RESET_TOKEN_INVALID);
    await page.getByRole('link', { name: 'Ask for a new link' }).click();
    await page.waitForURL('**/forgot-password');
  });
});

describe('WEB-049 accessibility of the account page', () => {
  it('WEB-049 the account page has no axe violations', async () => {
    const user = await client.signUp();
    const page = await browser.page();
    await useSession(page, keel.url, user.cookie);
    await page.goto('/account');
    await expectNoAxeViolations(page, {
      en: () => sessionRows(page).first().getByText('This browser').waitFor(),
      es: () => sessionRows(page).first().getByText('Este navegador').waitFor(),
    });
  });
});

function sessionRows(page: Page): Locator {
  return page.getByRole('table', { name: /Where you are signed in|Dónde has iniciado sesión/ }).locator('tbody tr');
}

async function changePassword(form: Locator, current: string, next: string): Promise<void> {
  await form.getByLabel('Current password').fill(current);
  await form.getByLabel('New password').fill(next);
  await form.getByRole('button', { name: 'Change the password' }).click();
  await form.getByRole('button', { name: 'Change the password' }).waitFor();
}

/** The error under the field, announced, and linked to it. */
async function fieldError(form: Locator, label: string): Promise<string | null> {
  const field = form.getByLabel(label);
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const errorId = (await field.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
  return form.locator(`[id="${errorId}"]`).textContent();
}

async function isSignedIn(cookie: string): Promise<boolean> {
  const response = await fetch(`${keel.url}/api/auth/get-session`, { headers: { cookie } });
  return (await response.json()) !== null;
}

async function askForLink(page: Page, email: string): Promise<string | null> {
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a link' }).click();
  return page.getByRole('status').textContent();
}

async function setNewPassword(page: Page, password: string): Promise<void> {
  await page.getByLabel('New password').fill(password);
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await page.getByRole('button', { name: 'Save the new password' }).or(page.getByRole('status')).waitFor();
}
