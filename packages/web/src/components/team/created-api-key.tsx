import { useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { Button } from '../button.tsx';
import { TextField } from '../field.tsx';
import type { CreatedApiKey } from './team-api.ts';

/**
 * A key just created: the only time Keel ever shows it (it keeps only its hash). A clear warning,
 * the key to select or copy, and "Done", after which it is gone from the page.
 */
export function CreatedApiKeyPanel({ created, onDone }: { created: CreatedApiKey; onDone(): void }) {
  const { t } = useI18n();
  const field = useRef<HTMLDivElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  async function copyKey() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopy('copied');
    } catch {
      // No clipboard (permissions, an insecure origin): the key is selected for copying by hand.
      const element = field.current?.querySelector('input');
      element?.focus();
      element?.select();
      setCopy('failed');
    }
  }

  return (
    <section aria-labelledby="created-api-key-title" className="mb-8 rounded-lg border border-amber-300 bg-amber-50 p-6">
      <h2 id="created-api-key-title" className="text-lg font-semibold text-slate-900">
        {t('apiKeys.created.title', { name: created.name })}
      </h2>
      <p className="mt-2 text-sm font-medium text-amber-950">{t('apiKeys.created.warning')}</p>
      <div className="mt-4 flex flex-wrap items-end gap-2">
        <div ref={field} className="min-w-0 flex-1">
          <TextField label={t('apiKeys.created.label')} readOnly value={created.key} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
        </div>
        <Button variant="secondary" onClick={() => void copyKey()}>
          {t('apiKeys.created.copy')}
        </Button>
      </div>
      <p role="status" className="mt-2 min-h-5 text-sm text-slate-800">
        {copy === 'copied' ? t('apiKeys.created.copied') : copy === 'failed' ? t('apiKeys.created.copyFailed') : ''}
      </p>
      <Button className="mt-2" onClick={onDone}>
        {t('apiKeys.created.done')}
      </Button>
    </section>
  );
}
