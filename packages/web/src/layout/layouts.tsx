import { Link, Outlet, getRouteApi, useMatchRoute } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { FOCUS_RING } from '../components/button.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.en.ts';
import type { Role } from '../api/types.ts';
import { OrganizationProvider, useRoleAtLeast } from '../session/organization.tsx';
import { AccountMenu } from './account-menu.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { OrganizationSwitcher } from './organization-switcher.tsx';

function Header({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="bg-slate-900 text-white">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-30 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900">
        {t('header.skipToContent')}
      </a>
      <div className="mx-auto flex max-w-7xl items-center gap-4 px-4 py-3">
        <Link to="/" className={`text-lg font-bold tracking-tight ${FOCUS_RING} rounded-sm focus-visible:outline-white`}>
          {t('app.name')}
        </Link>
        {children}
      </div>
    </header>
  );
}

/** Pages for people who are not signed in: sign in, sign up, password reset, invitations. */
export function PublicLayout() {
  return (
    <div className="min-h-screen">
      <Header>
        <div className="ml-auto">
          <LanguageSwitch />
        </div>
      </Header>
      <main id="main" className="mx-auto max-w-md px-4 py-12">
        <Outlet />
      </main>
    </div>
  );
}

/** Signed-in pages: the organization switcher, the language, the account menu. */
export function AppLayout() {
  return (
    <div className="min-h-screen">
      <Header>
        <OrganizationSwitcher />
        <div className="ml-auto flex items-center gap-3">
          <LanguageSwitch />
          <AccountMenu />
        </div>
      </Header>
      <Outlet />
    </div>
  );
}

const tenantRoute = getRouteApi('/_app/t/$slug');

/** An entry is active on its page and the pages below it, except below `except` (which has its own entry). */
const NAV: { to: string; label: MessageKey; minimum: Role; except?: string }[] = [
  { to: '/t/$slug/stores', label: 'nav.stores', minimum: 'member' },
  { to: '/t/$slug/products', label: 'nav.products', minimum: 'member' },
  { to: '/t/$slug/orders/board', label: 'nav.ordersBoard', minimum: 'member' },
  { to: '/t/$slug/orders', label: 'nav.orders', minimum: 'member', except: '/t/$slug/orders/board' },
  { to: '/t/$slug/members', label: 'nav.members', minimum: 'member' },
  { to: '/t/$slug/api-keys', label: 'nav.apiKeys', minimum: 'admin' },
  { to: '/t/$slug/webhooks', label: 'nav.webhooks', minimum: 'admin' },
  { to: '/t/$slug/dead-letters', label: 'nav.deadLetters', minimum: 'admin' },
  { to: '/t/$slug/imports', label: 'nav.imports', minimum: 'admin' },
  { to: '/t/$slug/audit', label: 'nav.audit', minimum: 'owner' },
  { to: '/t/$slug/billing', label: 'nav.billing', minimum: 'owner' },
];

/** `/t/:slug/…`: the organization of the URL for every page below, and its navigation. */
export function TenantLayout() {
  const { organization } = tenantRoute.useRouteContext();
  return (
    <OrganizationProvider organization={organization}>
      <TenantNav slug={organization.slug} />
      <main id="main" className="mx-auto max-w-7xl px-4 py-8">
        <Outlet />
      </main>
    </OrganizationProvider>
  );
}

function TenantNav({ slug }: { slug: string }) {
  const { t } = useI18n();
  const isAdmin = useRoleAtLeast('admin');
  const isOwner = useRoleAtLeast('owner');
  const allowed = (minimum: Role) => minimum === 'member' || (minimum === 'admin' ? isAdmin : isOwner);
  const matchRoute = useMatchRoute();
  const within = (to: string) => matchRoute({ to, params: { slug }, fuzzy: true }) !== false;
  const isActive = (item: (typeof NAV)[number]) => within(item.to) && (item.except === undefined || !within(item.except));
  return (
    <nav aria-label={t('nav.label')} className="border-b border-slate-200 bg-white">
      <ul className="mx-auto flex max-w-7xl gap-1 overflow-x-auto px-4">
        {NAV.filter((item) => allowed(item.minimum)).map((item) => {
          const active = isActive(item);
          return (
            <li key={item.to}>
              {/* Active by `isActive`: the router's own matching (exact path only here) never marks more. */}
              <Link
                to={item.to}
                params={{ slug }}
                activeOptions={{ exact: true, includeSearch: false }}
                activeProps={{}}
                aria-current={active ? 'page' : undefined}
                className={`inline-block border-b-2 px-3 py-3 text-sm font-medium ${active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-700 hover:text-slate-900'} ${FOCUS_RING}`}
              >
                {t(item.label)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Signed-in pages outside any organization (account, new organization). */
export function PlainMain({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-8">
      {children}
    </main>
  );
}
