import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, notFound, Outlet, redirect } from '@tanstack/react-router';
import { AppLayout, PublicLayout, TenantLayout } from './layout/layouts.tsx';
import { NotFoundPage } from './pages/not-found.tsx';
import { organizationsQuery, sessionQuery } from './session/queries.ts';

/**
 * Every page of the app and its URL. Pages are loaded on demand (one chunk each), so the first
 * page loads only what it needs. Tenant pages live under `/t/:slug`: the organization is in the URL.
 */
export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

/** A path inside the app to return to after signing in; anything else (another site) is dropped. */
function returnPath(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : undefined;
}

// Pages for people signed out.
const publicLayout = createRoute({ getParentRoute: () => rootRoute, id: '_public', component: PublicLayout });

const signInRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string | undefined } => ({ redirect: returnPath(search.redirect) }),
  beforeLoad: async ({ context }) => {
    if (await context.queryClient.ensureQueryData(sessionQuery)) throw redirect({ to: '/' });
  },
  component: lazyRouteComponent(() => import('./pages/sign-in.tsx'), 'SignInPage'),
});

const signUpRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: '/sign-up',
  validateSearch: (search: Record<string, unknown>): { redirect?: string | undefined } => ({ redirect: returnPath(search.redirect) }),
  beforeLoad: async ({ context }) => {
    if (await context.queryClient.ensureQueryData(sessionQuery)) throw redirect({ to: '/' });
  },
  component: lazyRouteComponent(() => import('./pages/sign-up.tsx'), 'SignUpPage'),
});

const forgotPasswordRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: '/forgot-password',
  component: lazyRouteComponent(() => import('./pages/forgot-password.tsx'), 'ForgotPasswordPage'),
});

const resetPasswordRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: '/reset-password',
  validateSearch: (search: Record<string, unknown>): { token?: string | undefined } => ({ token: typeof search.token === 'string' ? search.token : undefined }),
  component: lazyRouteComponent(() => import('./pages/reset-password.tsx'), 'ResetPasswordPage'),
});

const acceptInvitationRoute = createRoute({
  getParentRoute: () => publicLayout,
  path: '/invitations/accept',
  validateSearch: (search: Record<string, unknown>): { token?: string | undefined } => ({ token: typeof search.token === 'string' ? search.token : undefined }),
  component: lazyRouteComponent(() => import('./pages/accept-invitation.tsx'), 'AcceptInvitationPage'),
});

// Pages for people signed in.
const appLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    return { session };
  },
  component: AppLayout,
});

/** `/`: the first organization's stores, or creating the first organization. */
const homeRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/',
  beforeLoad: async ({ context }) => {
    const [first] = await context.queryClient.ensureQueryData(organizationsQuery);
    if (first === undefined) throw redirect({ to: '/organizations/new' });
    throw redirect({ to: '/t/$slug/stores', params: { slug: first.slug } });
  },
});

const createOrganizationRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/organizations/new',
  component: lazyRouteComponent(() => import('./pages/create-organization.tsx'), 'CreateOrganizationPage'),
});

const accountRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/account',
  component: lazyRouteComponent(() => import('./pages/account.tsx'), 'AccountPage'),
});

/** `/t/:slug`: an organization of the signed-in account; any other slug is not found (never another tenant's page). */
const tenantRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/t/$slug',
  beforeLoad: async ({ context, params }) => {
    const organizations = await context.queryClient.ensureQueryData(organizationsQuery);
    const organization = organizations.find((candidate) => candidate.slug === params.slug);
    if (organization === undefined) throw notFound();
    return { organization };
  },
  component: TenantLayout,
  notFoundComponent: NotFoundPage,
});

const tenantHomeRoute = createRoute({
  getParentRoute: () => tenantRoute,
  path: '/',
  beforeLoad: ({ params }) => {
    throw redirect({ to: '/t/$slug/stores', params });
  },
});

function tenantPage<P extends string>(path: P, load: () => Promise<Record<string, unknown>>, exportName: string) {
  return createRoute({ getParentRoute: () => tenantRoute, path, component: lazyRouteComponent(load, exportName) });
}

const tenantPages = [
  tenantPage('/stores', () => import('./pages/tenant/stores.tsx'), 'StoresPage'),
  tenantPage('/stores/$storeId', () => import('./pages/tenant/store.tsx'), 'StorePage'),
  tenantPage('/products', () => import('./pages/tenant/products.tsx'), 'ProductsPage'),
  tenantPage('/orders/board', () => import('./pages/tenant/orders-board.tsx'), 'OrdersBoardPage'),
  tenantPage('/orders', () => import('./pages/tenant/orders-table.tsx'), 'OrdersTablePage'),
  tenantPage('/orders/new', () => import('./pages/tenant/new-order.tsx'), 'NewOrderPage'),
  tenantPage('/orders/$orderId', () => import('./pages/tenant/order.tsx'), 'OrderPage'),
  tenantPage('/members', () => import('./pages/tenant/members.tsx'), 'MembersPage'),
  tenantPage('/api-keys', () => import('./pages/tenant/api-keys.tsx'), 'ApiKeysPage'),
  tenantPage('/audit', () => import('./pages/tenant/audit.tsx'), 'AuditPage'),
  tenantPage('/billing', () => import('./pages/tenant/billing.tsx'), 'BillingPage'),
  // Webhooks and dead letters (H4).
  tenantPage('/webhooks', () => import('./pages/tenant/webhooks.tsx'), 'WebhooksPage'),
  tenantPage('/dead-letters', () => import('./pages/tenant/dead-letters.tsx'), 'DeadLettersPage'),
  // CSV imports (H3).
  tenantPage('/imports', () => import('./pages/tenant/imports.tsx'), 'ImportsPage'),
  tenantPage('/imports/$importId', () => import('./pages/tenant/import-report.tsx'), 'ImportReportPage'),
] as const;

const routeTree = rootRoute.addChildren([
  publicLayout.addChildren([signInRoute, signUpRoute, forgotPasswordRoute, resetPasswordRoute, acceptInvitationRoute]),
  appLayout.addChildren([homeRoute, createOrganizationRoute, accountRoute, tenantRoute.addChildren([tenantHomeRoute, ...tenantPages])]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Data comes from TanStack Query; the router only guards and loads page code.
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
