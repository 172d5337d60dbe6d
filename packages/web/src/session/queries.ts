import { queryOptions } from '@tanstack/react-query';
import { keel } from '../api/keel.ts';

/** The signed-in account, or null. */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: () => keel.auth.session(),
  staleTime: 60_000,
});

/** The organizations the signed-in account is a member of, with its role in each. */
export const organizationsQuery = queryOptions({
  queryKey: ['organizations'],
  queryFn: async () => (await keel.central.organizations()).items,
  staleTime: 30_000,
});
