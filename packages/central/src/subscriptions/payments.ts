import { createHash } from 'node:crypto';
import type { Logger } from '@keel/kernel';
import type { PlanId } from '../contracts/plans.ts';

/**
 * The payment port: the one call Keel needs from a payment provider. Keel keeps plans, periods and
 * the cancellation rule itself (specs/subscriptions.md) and asks the provider only to take money.
 * Keel holds no card data, ever: no card number, expiry or CVC reaches Keel's servers, logs or
 * databases.
 *
 * The seam for a real provider (Stripe, for instance):
 * - The organization is a Stripe Customer (its id kept by the adapter, e.g. in a column
 *   `subscriptions.provider_customer_id` added with it), created on the first paid upgrade.
 * - The card is collected by Stripe itself (Checkout, or Elements in the billing page talking to
 *   Stripe directly) into a SetupIntent; Keel stores only the resulting PaymentMethod id as the
 *   customer's default — an opaque reference, not card data.
 * - `charge` is a PaymentIntent: `amount` = `amountMinor`, `currency` = `currency` lower-cased,
 *   `customer`, `payment_method` = the default, `confirm: true`, `off_session: true`, `metadata`
 *   `{organizationId, plan, reason}`, and the request's `Idempotency-Key` header = `idempotencyKey`
 *   (Stripe then charges once however often Keel retries, e.g. after a crash between charging and
 *   committing). The answer's `id` is the PaymentIntent's id.
 * - A `card_error` (declined, insufficient funds, expired card) is `PaymentDeclinedError`; any
 *   other failure (network, 5xx) is thrown as is: Keel's transaction rolls back and the change, or
 *   the period end, is tried again with the same key.
 * - A payment that needs the customer (3-D Secure on a renewal) counts as declined for now; a
 *   webhook endpoint to finish it is future work. Stripe Billing's own subscriptions are not used:
 *   periods and the cancellation rule stay Keel's, tested by Keel's clock.
 */
export interface ChargeRequest {
  organizationId: string;
  plan: PlanId;
  /** In minor units of `currency` (4900 is 49.00 USD). */
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** Why: an upgrade starts a period, a renewal (or a downgrade to a paid plan) the next one. */
  reason: 'upgrade' | 'renewal' | 'downgrade';
  /** The period the charge pays for. */
  period: { start: Date; end: Date };
  /** The same for a retried charge of the same thing: the provider charges it once. */
  idempotencyKey: string;
}

export interface Charge {
  /** The provider's reference of the payment (recorded in the audit log). */
  id: string;
}

export interface PaymentProvider {
  /** e.g. `development`, `stripe`. */
  readonly name: string;
  /** Takes the money, or throws `PaymentDeclinedError` when the provider declines. */
  charge(request: ChargeRequest): Promise<Charge>;
}

/**
 * The development provider: every charge succeeds at once and is logged as `{payment: …}` (like the
 * development mailer's emails); the same idempotency key gives the same charge id.
 */
export function createDevelopmentPaymentProvider(logger: Logger): PaymentProvider {
  return {
    name: 'development',
    async charge(request) {
      const id = `dev_${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24)}`;
      const payment = { id, ...request, period: { start: request.period.start.toISOString(), end: request.period.end.toISOString() } };
      logger.info({ payment }, 'development payment provider: charge succeeded');
      return { id };
    },
  };
}
