import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { CentralClient } from '../test/support/central-client.ts';
import { waitUntil } from '../test/support/queue-driver-contract.ts';

/** What the team browser suites (e2e/team*.test.ts) do in the app, as a person would. */

export const PASSWORD = 'correct horse battery';

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/**
 * Signed in with a session Keel issued to an API sign-up or sign-in (its cookie), without going
 * through the sign-in page (other suites test that page).
 */
export async function useSession(page: Page, keelUrl: string, cookie: string): Promise<void> {
  const separator = cookie.indexOf('=');
  await page.context().addCookies([{ name: cookie.slice(0, separator), value: cookie.slice(separator + 1), url: keelUrl }]);
}

/** Signs up through the sign-up page, then creates an organization through its page; answers its slug. */
export async function signUpWithOrganization(page: Page, person: { name: string; email: string }, organizationName: string): Promise<string> {
  await page.goto('/sign-up');
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL('**/organizations/new');
  await page.getByLabel('Organization name').fill(organizationName);
  const slug = await page.getByLabel('Address').inputValue();
  await page.getByRole('button', { name: 'Create the organization' }).click();
  await page.waitForURL(`**/t/${slug}/stores`);
  return slug;
}

export function uniqueName(prefix: string): string {
  return `${prefix} ${randomUUID().slice(0, 8)}`;
}

/** The path and query of the latest link the development mailer logged to `address` for a page at `pathname` (waiting for it: some mail goes out after the answer). */
export async function emailedLink(client: CentralClient, address: string, pathname: string): Promise<string> {
  let link: URL | undefined;
  await waitUntil(async () => {
    link = client
      .emailsTo(address)
      .map((email) => new URL(email.link))
      .findLast((candidate) => candidate.pathname === pathname);
    return link !== undefined;
  });
  return `${link!.pathname}${link!.search}`;
}

/** The table row that mentions `text` (an email, a key's name). */
export function rowWith(page: Page, text: string) {
  return page.getByRole('row').filter({ hasText: text });
}

/** The text of a <select>'s options, in order. */
export async function optionsOf(page: Page, label: string): Promise<string[]> {
  return page.getByLabel(label, { exact: true }).locator('option').allTextContents();
}

/** An axe check (WCAG 2.1 A and AA, and axe's best practices) of the page as it is, in English and then in Spanish. */
export async function expectNoAxeViolations(page: Page, readyIn: { en: () => Promise<void>; es: () => Promise<void> }): Promise<void> {
  await readyIn.en();
  expect(await axeViolations(page)).toEqual([]);
  await page.getByLabel('Language').selectOption('es');
  await readyIn.es();
  expect(await axeViolations(page)).toEqual([]);
}

/** The axe violations (WCAG 2.1 A and AA, and axe's best practices) of the page as it is now: `rule: targets`. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
