import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorsEn } from '../src/i18n/errors.en.ts';
import { errorsEs } from '../src/i18n/errors.es.ts';

/** The codes of the error catalogue, generated from the code's error classes (kept current by PLT-003). */
async function catalogueCodes(): Promise<string[]> {
  const catalogue = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  return [...catalogue.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]!);
}

const languages = [
  { language: 'English', messages: errorsEn as Record<string, string> },
  { language: 'Spanish', messages: errorsEs as Record<string, string> },
];

describe('WEB-001 every error code has a message for people in English and in Spanish', () => {
  it('reads the catalogue', async () => {
    expect((await catalogueCodes()).length).toBeGreaterThan(50);
  });

  it.each(languages)('has a sentence in $language for every code of the catalogue', async ({ messages }) => {
    const missing = (await catalogueCodes()).filter((code) => (messages[code]?.trim() ?? '') === '');
    expect(missing).toEqual([]);
  });

  it.each(languages)('keeps no $language message for a code the catalogue lacks', async ({ messages }) => {
    const codes = new Set(await catalogueCodes());
    expect(Object.keys(messages).filter((code) => !codes.has(code))).toEqual([]);
  });

  it.each(languages)('never shows the code itself as the $language message', ({ messages }) => {
    expect(Object.entries(messages).filter(([code, message]) => message.includes(code))).toEqual([]);
  });
});
