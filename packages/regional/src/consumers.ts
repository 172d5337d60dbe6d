import type { ConsumerDefinition } from '@keel/kernel';
import { provisionTenant } from './tenants/provision-tenant.ts';

/** Every consumer the region runs; the relay and the feed subscription route events by these. */
export const regionalConsumers: readonly ConsumerDefinition<never>[] = [provisionTenant as ConsumerDefinition<never>];
