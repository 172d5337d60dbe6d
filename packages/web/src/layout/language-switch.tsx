import { useId } from 'react';
import { FOCUS_RING } from '../components/button.tsx';
import { LANGUAGES, useI18n, type Language } from '../i18n/i18n.tsx';

const NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

/** The language of the whole app, remembered in this browser. Each language is named in itself. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        {t('header.language')}
      </label>
      <select
        id={id}
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
        className={`rounded-md border border-slate-600 bg-slate-800 px-2 py-1.5 text-sm text-white ${FOCUS_RING} focus-visible:outline-white`}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
