import { createDatabase, createLogReporter, createPool, type AuthRateLimits, type RetentionReport } from '@keel/kernel';
import { createCapturingLogger } from '../../../../../test/support/capture.ts';
import type { TestKeel } from '../../../../../test/support/keel.ts';
import { createCentralRetention } from '../central-retention.ts';

/** One pass of central's retention on a test Keel's central database, at its clock's now. */
export async function runCentralRetention(keel: Pick<TestKeel, 'databases' | 'clock'>, authRateLimits: AuthRateLimits, batchSize = 1_000): Promise<RetentionReport> {
  const { logger } = createCapturingLogger();
  const pool = createPool(keel.databases.central.app, { applicationName: 'keel-test-retention', logger });
  try {
    const job = createCentralRetention({ database: createDatabase(pool), authRateLimits, intervalMs: 60_000, batchSize, clock: keel.clock, logger, reporter: createLogReporter(logger) });
    return await job.runOnce();
  } finally {
    await pool.end();
  }
}
