import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

/** Debian's Chromium (`apt-get install chromium`, done by .ci/run); playwright-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where a failed test leaves its trace (open with `npx playwright-core show-trace <file>`), screenshots and console. */
export const ARTIFACTS = path.join(import.meta.dirname, '..', '..', 'test-results', 'browser');

/** How long one browser action or wait may take before the test fails with what it waited for. */
const ACTION_TIMEOUT_MS = 10_000;

export interface BrowserHarness {
  /** The test's first page (its own browser context), opened on first use. */
  page(): Promise<Page>;
  /** A page in a new browser context: another person, or another browser, with its own cookies and storage. */
  newPage(): Promise<Page>;
}

/**
 * One Chromium per test file; each test gets fresh browser contexts, traced. When a test fails its
 * contexts' traces, a screenshot of each page and the pages' console errors are written under
 * test-results/browser/<test>/; when it passes they are dropped. No pixel comparisons.
 */
export function browserHarness(baseUrl: () => string): BrowserHarness {
  let browser: Browser | undefined;
  let contexts: { context: BrowserContext; console: string[] }[] = [];
  let first: Page | undefined;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(() => {
    first = undefined;
  });

  afterEach(async ({ task }) => {
    const folder = task.result?.state === 'fail' ? path.join(ARTIFACTS, fileName(`${task.file.name} ${task.name}`)) : undefined;
    if (folder !== undefined) await mkdir(folder, { recursive: true });
    for (const [index, { context, console }] of contexts.entries()) {
      if (folder === undefined) {
        await context.tracing.stop();
      } else {
        for (const [pageIndex, page] of context.pages().entries()) {
          await page.screenshot({ path: path.join(folder, `context-${index}-page-${pageIndex}.png`), fullPage: true }).catch(() => undefined);
        }
        await context.tracing.stop({ path: path.join(folder, `context-${index}-trace.zip`) });
        await writeFile(path.join(folder, `context-${index}-console.txt`), console.join('\n'));
      }
      await context.close();
    }
    contexts = [];
  });

  async function newPage(): Promise<Page> {
    if (browser === undefined) throw new Error('the browser is not running (browserHarness registers its hooks at the top of a test file)');
    const context = await browser.newContext({ baseURL: baseUrl(), locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    await context.tracing.start({ screenshots: true, snapshots: true });
    const console: string[] = [];
    context.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') console.push(`${message.type()}: ${message.text()}`);
    });
    context.on('weberror', (error) => console.push(`page error: ${error.error().stack ?? error.error().message}`));
    contexts.push({ context, console });
    return context.newPage();
  }

  return {
    page: async () => (first ??= await newPage()),
    newPage,
  };
}

function fileName(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').slice(0, 120);
}
