import { useI18n } from '../../i18n/i18n.tsx';
import { ShownOnce } from '../shown-once.tsx';
import type { CreatedApiKey } from './team-api.ts';

/** A key just created: the only time Keel ever shows it (it keeps only its hash). */
export function CreatedApiKeyPanel({ created, onDone }: { created: CreatedApiKey; onDone(): void }) {
  const { t } = useI18n();
  const words = {
    title: t('apiKeys.created.title', { name: created.name }),
    warning: t('apiKeys.created.warning'),
    label: t('apiKeys.created.label'),
    copy: t('apiKeys.created.copy'),
    copied: t('apiKeys.created.copied'),
    copyFailed: t('apiKeys.created.copyFailed'),
    done: t('apiKeys.created.done'),
  };
  return <ShownOnce value={created.key} words={words} onDone={onDone} />;
}
