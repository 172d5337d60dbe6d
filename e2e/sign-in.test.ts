import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestKeel } from '../test/support/keel.ts';
import { browserHarness } from './support/browser.ts';
import { DEMO_PASSWORD, startBrowserKeel } from './support/keel.ts';

let keel: TestKeel;
const browser = browserHarness(() => keel.url);

beforeAll(async () => {
  keel = await startBrowserKeel();
}, 120_000);

afterAll(async () => {
  await keel?.stop();
});

describe('WEB-002 signing in', () => {
  it('WEB-002 as owner@acme.test lands on Acme Retail’s stores, chosen in the organization switcher', async () => {
    const page = await browser.page();
    await page.goto('/');
    await page.waitForURL('**/sign-in**');
    await signIn(page, 'owner@acme.test');
    await page.waitForURL('**/t/acme/stores');
    await page.getByRole('heading', { level: 1, name: 'Stores' }).waitFor();
    expect(await chosenOrganization(page)).toBe('Acme Retail');
  });

  it('WEB-007 a signed-out visit to an organization page signs in first, then opens that page', async () => {
    const page = await browser.page();
    await page.goto('/t/acme/orders');
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await signIn(page, 'clerk@acme.test');
    await page.waitForURL('**/t/acme/orders');
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
  });

  it('WEB-001 shows a refused sign-in in people’s words, never the code', async () => {
    const page = await browser.page();
    await page.goto('/sign-in');
    await signIn(page, 'owner@acme.test', 'not the password');
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toBe('The email or the password is not right.');
  });
});

describe('WEB-006 the language switch', () => {
  it('WEB-006 turns the whole page to Spanish and is remembered after a reload', async () => {
    const page = await browser.page();
    await page.goto('/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Sign in to Keel' }).waitFor();
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { level: 1, name: 'Inicia sesión en Keel' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Inicia sesión en Keel' }).waitFor();
    expect(await page.getByLabel('Idioma').inputValue()).toBe('es');
  });
});

describe('WEB-003 accessibility of the sign-in page', () => {
  it.each(['en', 'es'])('WEB-003 has no axe violations (WCAG 2 A and AA) in %s', async (language) => {
    const page = await browser.page();
    await page.addInitScript((chosen) => localStorage.setItem('keel.language', chosen), language);
    await page.goto('/sign-in');
    await page.getByRole('button', { name: language === 'en' ? 'Sign in' : 'Iniciar sesión' }).waitFor();
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
  });
});

async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The organization shown in the header's switcher. */
async function chosenOrganization(page: Page): Promise<string | null> {
  return page.getByLabel('Organization', { exact: true }).locator('option:checked').textContent();
}
