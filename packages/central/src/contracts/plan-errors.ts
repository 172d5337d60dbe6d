import { defineError } from '@keel/kernel';

export class PlanLimitReachedError extends defineError({
  code: 'PLAN_LIMIT_REACHED',
  status: 402,
  description: "The tenant's plan does not allow more of this; `details` names the limit (path `limit.<name>`, rule `plan_limit`). Upgrade the plan or reduce usage.",
}) {}

export class SubscriptionEndedError extends defineError({
  code: 'SUBSCRIPTION_ENDED',
  status: 402,
  description: "The tenant's subscription was cancelled on the Free plan: its data is kept, but nothing can be read or changed until the owner subscribes again.",
}) {}
