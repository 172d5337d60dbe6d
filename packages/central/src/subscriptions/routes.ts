import { noBody, type HttpApp } from '@keel/kernel';
import type { CentralDeps } from '../central-deps.ts';
import { RegionCredentialInvalidError } from '../contracts/feed-errors.ts';
import { usageReportSchema } from '../contracts/plans.ts';
import { requireMember } from '../organizations/require-member.ts';
import type { RegionRegistry } from '../regions/region-registry.ts';
import { changeSubscription, getSubscription } from './manage-subscription.ts';
import { listPlans, toPlanDto } from './plans.ts';
import { changePlanBody, planList, subscriptionParams, subscriptionSchema, usageReportAnswer } from './schemas.ts';
import { cancel, resume, scheduleDowngrade, upgrade } from './subscription-changes.ts';
import { recordUsageReport } from './usage.ts';

const tags = ['subscriptions'];
const path = '/organizations/:organizationId/subscription';
const answer = { 200: subscriptionSchema };

/**
 * `/api/central/plans` (public), an organization's subscription under
 * `/api/central/organizations/:organizationId/subscription` (owners only, the role table in
 * specs/tenancy.md), and `/api/central/usage`, where regions report their tenants' usage with the
 * credential they read the feed with.
 */
export function subscriptionRoutes(app: HttpApp, deps: CentralDeps & { regions: RegionRegistry }): void {
  app.get('/plans', { schema: { tags, response: { 200: planList } } }, async () => ({ items: (await listPlans(deps.database)).map(toPlanDto) }));

  app.get(path, { schema: { tags, params: subscriptionParams, response: answer } }, async (request) => {
    const { organizationId } = request.params;
    await requireMember(request, deps, organizationId, 'owner');
    return getSubscription(deps.database, organizationId);
  });

  app.post(`${path}/upgrade`, { schema: { tags, params: subscriptionParams, body: changePlanBody, response: answer } }, async (request) => {
    const { userId } = await requireMember(request, deps, request.params.organizationId, 'owner');
    return changeSubscription(deps, { organizationId: request.params.organizationId, userId, change: (ctx, row) => upgrade(ctx, row, request.body.plan) });
  });

  app.post(`${path}/downgrade`, { schema: { tags, params: subscriptionParams, body: changePlanBody, response: answer } }, async (request) => {
    const { userId } = await requireMember(request, deps, request.params.organizationId, 'owner');
    return changeSubscription(deps, { organizationId: request.params.organizationId, userId, change: (ctx, row) => scheduleDowngrade(ctx, row, request.body.plan) });
  });

  app.post(`${path}/cancel`, { schema: { tags, params: subscriptionParams, body: noBody, response: answer } }, async (request) => {
    const { userId } = await requireMember(request, deps, request.params.organizationId, 'owner');
    return changeSubscription(deps, { organizationId: request.params.organizationId, userId, change: cancel });
  });

  app.post(`${path}/resume`, { schema: { tags, params: subscriptionParams, body: noBody, response: answer } }, async (request) => {
    const { userId } = await requireMember(request, deps, request.params.organizationId, 'owner');
    return changeSubscription(deps, { organizationId: request.params.organizationId, userId, change: resume });
  });

  // USAGE_REPORT_PATH. The credential is checked as the feed checks it (feed/routes.ts): the region named, its secret.
  app.post('/usage', { schema: { tags, body: usageReportSchema, response: { 200: usageReportAnswer } } }, async (request) => {
    const credential = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (credential === undefined || !(await deps.regions.verifyCredential(request.body.region, credential))) throw new RegionCredentialInvalidError();
    return recordUsageReport(deps.database, deps.clock, request.body);
  });
}
