import { Link } from '@tanstack/react-router';
import { LINK_CLASSES } from '../components/button.tsx';
import { useDocumentTitle } from '../components/page-header.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/** Any URL that names nothing the signed-in account may see: an unknown page, or another organization's. */
export function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t('notFound.title'));
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16 text-center">
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{t('notFound.title')}</h1>
      <p className="mt-2 text-sm text-slate-600">{t('notFound.description')}</p>
      <Link to="/" className={`mt-6 inline-block ${LINK_CLASSES}`}>
        {t('notFound.home')}
      </Link>
    </main>
  );
}
