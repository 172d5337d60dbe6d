import type { Clock, Database, Logger } from '@keel/kernel';
import type { Mailer } from './email/mailer.ts';
import type { AuthRateLimiter } from './identity/auth-rate-limiter.ts';
import type { SessionDeps } from './organizations/session.ts';
import type { SigningKeyStore } from './signing-keys/signing-key-store.ts';
import type { PaymentProvider } from './subscriptions/payments.ts';

/** What central's route modules are given; each takes the part it needs. */
export interface CentralDeps extends SessionDeps {
  /** Central's database as its app role. */
  database: Database;
  /** Times tokens, invitations, audit entries and revocations. */
  clock: Clock;
  signingKeys: SigningKeyStore;
  mailer: Mailer;
  /** Counts attempts in central's database (sign-ins, emailed links, invitations). */
  limiter: AuthRateLimiter;
  /** Where new organizations live (the first registered region). */
  homeRegion: string;
  logger: Logger;
  /** Takes the money for paid plans (subscriptions/payments.ts). */
  payments: PaymentProvider;
}
