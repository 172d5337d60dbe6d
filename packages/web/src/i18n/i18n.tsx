import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, NETWORK_ERROR } from '../api/api-error.ts';
import { errorsEn } from './errors.en.ts';
import { errorsEs } from './errors.es.ts';
import { formatDateTime, formatMoney, formatNumber } from './format.ts';
import { messagesEn, type MessageKey } from './messages.en.ts';
import { messagesEs } from './messages.es.ts';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

const CATALOGS: Record<Language, { messages: Record<MessageKey, string>; errors: Record<string, string> }> = {
  en: { messages: messagesEn, errors: errorsEn },
  es: { messages: messagesEs, errors: errorsEs },
};

/** Where the chosen language is remembered, per browser. */
export const LANGUAGE_STORAGE_KEY = 'keel.language';

export type MessageValues = Record<string, string | number>;

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  /** The message in the current language; `{name}` placeholders take `values`. */
  t(key: MessageKey, values?: MessageValues): string;
  /** What to tell people about a failure: the sentence for its code, never the bare code. */
  errorMessage(error: unknown): string;
  money(minor: number, currency: string): string;
  dateTime(iso: string, timeZone: string, style?: 'date' | 'dateTime'): string;
  number(value: number, fractionDigits?: number): string;
}

export function translate(language: Language, key: MessageKey, values: MessageValues = {}): string {
  return CATALOGS[language].messages[key].replace(/\{(\w+)\}/g, (placeholder, name: string) => String(values[name] ?? placeholder));
}

export function errorMessage(language: Language, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === NETWORK_ERROR) return translate(language, 'error.network');
    return CATALOGS[language].errors[error.code] ?? translate(language, 'error.unknown', { code: error.code });
  }
  return translate(language, 'error.unexpected');
}

function initialLanguage(): Language {
  const stored = readStoredLanguage();
  if (stored !== undefined) return stored;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

function readStoredLanguage(): Language | undefined {
  try {
    const stored = localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return LANGUAGES.find((language) => language === stored);
  } catch {
    // Storage can be unavailable (privacy settings): the language is then not remembered.
    return undefined;
  }
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
    } catch {
      // Not remembered; the switch still applies to this page.
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      t: (key, values) => translate(language, key, values),
      errorMessage: (error) => errorMessage(language, error),
      money: (minor, currency) => formatMoney(minor, currency, language),
      dateTime: (iso, timeZone, style) => formatDateTime(iso, timeZone, language, style),
      number: (value, fractionDigits) => formatNumber(value, language, fractionDigits),
    }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (i18n === null) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
