import { defineError } from '@keel/kernel';

export class PlanDowngradeBlockedError extends defineError({
  code: 'PLAN_DOWNGRADE_BLOCKED',
  status: 409,
  description:
    "The organization uses more than the target plan allows: `details` names each limit to reduce (path `usage.<limit>`, rule `plan_limit`). Reduce the usage, then downgrade again.",
}) {}

export class PlanChangeInvalidError extends defineError({
  code: 'PLAN_CHANGE_INVALID',
  status: 409,
  description:
    'An upgrade must name a plan above the current one, a downgrade one below it (and an ended subscription can only be upgraded, which subscribes again).',
}) {}

export class SubscriptionNotResumableError extends defineError({
  code: 'SUBSCRIPTION_NOT_RESUMABLE',
  status: 409,
  description: 'Only a paid subscription cancelled at its period end can be resumed, and only before that end; once it has passed, upgrade to subscribe again.',
}) {}

export class PaymentDeclinedError extends defineError({
  code: 'PAYMENT_DECLINED',
  status: 402,
  description: 'The payment provider declined the charge for the plan: nothing changed. Update the payment method with the provider and try again.',
}) {}
