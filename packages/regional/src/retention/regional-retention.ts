import { asc, gt } from 'drizzle-orm';
import {
  createRetentionJob,
  messagingPurges,
  type Clock,
  type Database,
  type ErrorReporter,
  type Logger,
  type RetentionConfig,
  type RetentionJob,
  type RetentionPurge,
  type StoragePort,
  type WithTenant,
} from '@keel/kernel';
import { tokenRevocationsPurge } from '../auth/token-revocations-retention.ts';
import { abandonedImportsPurge, finishedImportsPurge } from '../imports/imports-retention.ts';
import { tenantPlans } from '../plans/schema.ts';
import { abandonedImagesPurge } from '../products/images/images-retention.ts';
import { webhookDeliveriesPurge } from '../webhooks/delivery-log-retention.ts';

/** An upload still awaited this long after its URL expired is abandoned: a slow upload begun just before expiry has long ended (RET-013). */
export const ABANDONED_UPLOAD_MARGIN_MS = 86_400_000;

/** What the region lets go of, and after how long (specs/retention.md): each context contributes its purge. */
export function regionalPurges(retention: RetentionConfig, storage: StoragePort, uploadTtlMs: number): RetentionPurge[] {
  const abandonedAfterMs = uploadTtlMs + ABANDONED_UPLOAD_MARGIN_MS;
  return [
    ...messagingPurges(retention),
    tokenRevocationsPurge(retention.tokenRevocationMinutes),
    webhookDeliveriesPurge(retention.webhookDeliveriesDays),
    finishedImportsPurge(retention.importsDays, storage),
    abandonedImportsPurge(abandonedAfterMs, storage),
    abandonedImagesPurge(abandonedAfterMs),
  ];
}

export interface RegionalRetentionOptions {
  retention: RetentionConfig;
  /** System purges (outbox, ledger) across tenants. */
  workerDatabase: Database;
  /** Tenant purges, each tenant in its own transaction under row-level security. */
  withTenant: WithTenant;
  /** Where finished and abandoned imports' files are deleted from. */
  storage: StoragePort;
  /** UPLOAD_URL_TTL_MS: uploads still awaited a day after it are abandoned. */
  uploadTtlMs: number;
  clock: Clock;
  logger: Logger;
  reporter: ErrorReporter;
  /** Default: `regionalPurges(retention, storage, uploadTtlMs)`. */
  purges?: readonly RetentionPurge[];
}

export function createRegionalRetention(options: RegionalRetentionOptions): RetentionJob {
  return createRetentionJob({
    purges: options.purges ?? regionalPurges(options.retention, options.storage, options.uploadTtlMs),
    systemDatabase: options.workerDatabase,
    tenants: {
      // The worker role may read the ids of `tenant_plans` across tenants, nothing more (TEN-004).
      list: async (after, limit) => {
        const page = await options.workerDatabase
          .select({ tenantId: tenantPlans.tenantId })
          .from(tenantPlans)
          .where(after === undefined ? undefined : gt(tenantPlans.tenantId, after))
          .orderBy(asc(tenantPlans.tenantId))
          .limit(limit);
        return page.map((row) => row.tenantId);
      },
      withTenant: options.withTenant,
    },
    intervalMs: options.retention.intervalMs,
    batchSize: options.retention.batchSize,
    clock: options.clock,
    logger: options.logger,
    reporter: options.reporter,
  });
}
