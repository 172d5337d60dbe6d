import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/api-error.ts';
import { I18nProvider } from './i18n/i18n.tsx';
import { createAppRouter } from './router.tsx';
import { sessionQuery } from './session/queries.ts';
import './app.css';

/** Failures worth retrying: Keel unreachable, or busy (5xx, such as TENANT_PROVISIONING). A 4xx answer stays as it is. */
function retry(failures: number, error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500) && failures < 3;
}

/** A session that ended (signed out elsewhere, expired): back to signing in, then to this page. */
function onError(error: unknown): void {
  if (!(error instanceof ApiError) || error.code !== 'AUTH_SESSION_MISSING') return;
  queryClient.setQueryData(sessionQuery.queryKey, null);
  const { pathname, search } = window.location;
  if (pathname !== '/sign-in') void router.navigate({ to: '/sign-in', search: { redirect: pathname + search } });
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: { queries: { retry, staleTime: 10_000 } },
});
const router = createAppRouter(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
