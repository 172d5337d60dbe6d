import { Link } from '@tanstack/react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrganization } from '../../session/organization.tsx';
import { LINK_CLASSES } from '../button.tsx';
import { useDocumentTitle } from '../page-header.tsx';

/**
 * An order the organization does not have — unknown, or another organization's (the API answers
 * both alike, 404 ORDER_NOT_FOUND): the not-found page, inside the organization's navigation.
 */
export function OrderNotFound() {
  const { t } = useI18n();
  const { slug } = useOrganization();
  useDocumentTitle(t('notFound.title'));
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">{t('notFound.title')}</h1>
      <p className="mt-2 text-sm text-slate-600">{t('orderPage.notFound')}</p>
      <Link to="/t/$slug/orders" params={{ slug }} className={`mt-6 inline-block ${LINK_CLASSES}`}>
        {t('orderPage.backToOrders')}
      </Link>
    </div>
  );
}
