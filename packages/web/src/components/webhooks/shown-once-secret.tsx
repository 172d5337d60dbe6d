import { useI18n } from '../../i18n/i18n.tsx';
import { ShownOnce } from '../shown-once.tsx';
import type { WebhookEndpointWithSecret } from './webhooks-api.ts';

/** A secret just made (registration or rotation): the only time Keel shows it. Copy it, then "Done". */
export function ShownOnceSecret({ endpoint, onDone }: { endpoint: WebhookEndpointWithSecret; onDone(): void }) {
  const { t } = useI18n();
  const words = {
    title: t('webhooks.secret.title', { url: endpoint.url }),
    warning: t('webhooks.secret.warning'),
    label: t('webhooks.secret.label'),
    copy: t('webhooks.secret.copy'),
    copied: t('webhooks.secret.copied'),
    copyFailed: t('webhooks.secret.copyFailed'),
    done: t('webhooks.secret.done'),
  };
  return <ShownOnce value={endpoint.secret} words={words} onDone={onDone} />;
}
