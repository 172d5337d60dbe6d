import type { ConsumerDefinition } from '@keel/kernel';
import { applyTokenRevocation } from './auth/apply-token-revocation.ts';
import { fillDemoTenant } from './demo/fill-demo-tenant.ts';
import { applyPlanChange } from './plans/apply-plan-change.ts';
import { provisionTenant } from './tenants/provision-tenant.ts';
import { renameTenant } from './tenants/rename-tenant.ts';

/** Every consumer the region runs; the relay and the feed subscription route events by these. */
export const regionalConsumers: readonly ConsumerDefinition<never>[] = [provisionTenant, renameTenant, applyTokenRevocation, applyPlanChange, fillDemoTenant] as ConsumerDefinition<never>[];
