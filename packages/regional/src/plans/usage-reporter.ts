import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { asc, gt, sql } from 'drizzle-orm';
import { CentralUnavailableError, USAGE_REPORT_PATH, type UsageReport } from '@keel/central/contracts';
import { createFailureStreak, pause, type Clock, type Database, type ErrorReporter, type Logger } from '@keel/kernel';
import { tenantPlans } from './schema.ts';
import { toUsageFigures, type PlanFiguresRow } from './usage-schemas.ts';

/** Tenants per report: the most `usageReportSchema` takes. */
export const USAGE_REPORT_BATCH = 1_000;
/** A report central has not answered within this long is given up, and sent again next interval. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface UsageReporterOptions {
  /** Central's base URL; a function when it is known only once this server listens. */
  centralUrl: string | (() => string);
  region: string;
  /** The region's credential, the one it reads central's feed with. */
  credential: string;
  intervalMs: number;
  /** The app role computes each tenant's figures under that tenant's row-level security. */
  appDatabase: Database;
  /** The worker role lists the region's tenants (the ids of `tenant_plans`). */
  workerDatabase: Database;
  clock: Clock;
  logger: Logger;
  reporter: ErrorReporter;
  batchSize?: number;
}

export interface UsageReporter {
  start(): Promise<void>;
  /** Reports every tenant now, batch after batch; resolves with the number of tenants reported. */
  reportNow(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, posts the figures central needs to refuse a downgrade the tenant has outgrown
 * (`usageReportSchema`) for every tenant of the region to central's `POST /api/central/usage`, at
 * most USAGE_REPORT_BATCH tenants per request (SUB-040). Regions call central, never the reverse;
 * requests never wait on it. A failed round is logged (and reported once per streak of failures)
 * and done again in full at the next interval, so nothing needs to be remembered in between.
 */
export function createUsageReporter(options: UsageReporterOptions): UsageReporter {
  const batchSize = options.batchSize ?? USAGE_REPORT_BATCH;
  let running = false;
  let loop: Promise<void> | undefined;
  let stopping = new AbortController();

  async function reportNow(): Promise<number> {
    let reported = 0;
    let after: string | undefined;
    for (;;) {
      const page = await options.workerDatabase
        .select({ tenantId: tenantPlans.tenantId })
        .from(tenantPlans)
        .where(after === undefined ? undefined : gt(tenantPlans.tenantId, after))
        .orderBy(asc(tenantPlans.tenantId))
        .limit(batchSize);
      if (page.length === 0) return reported;
      const measuredAt = options.clock.now();
      const ids = `{${page.map((row) => row.tenantId).join(',')}}`;
      const figures = await options.appDatabase.execute<PlanFiguresRow & { tenant_id: string }>(
        sql`select * from keel_plan_figures_of_tenants(${ids}::uuid[], ${measuredAt.toISOString()}::timestamptz)`,
      );
      const report: UsageReport = {
        region: options.region,
        tenants: figures.rows.map((row) => ({ tenantId: row.tenant_id, measuredAt: measuredAt.toISOString(), ...toUsageFigures(row) })),
      };
      if (report.tenants.length > 0) await send(report);
      reported += report.tenants.length;
      if (page.length < batchSize) return reported;
      after = page.at(-1)!.tenantId;
    }
  }

  async function send(report: UsageReport): Promise<void> {
    const base = typeof options.centralUrl === 'string' ? options.centralUrl : options.centralUrl();
    // Typed as central's failure: a refused connection would otherwise read as the database's.
    const { status, body } = await postJson(new URL(USAGE_REPORT_PATH, base), report, {
      headers: { authorization: `Bearer ${options.credential}` },
      signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    }).catch((error: unknown) => {
      throw new CentralUnavailableError({ cause: error });
    });
    if (status < 200 || status >= 300) throw new CentralUnavailableError({ cause: new Error(`central answered the usage report with ${status}: ${body}`) });
  }

  async function run(): Promise<void> {
    const streak = createFailureStreak({
      reporter: options.reporter,
      logger: options.logger,
      messages: { failed: 'usage report failed; retrying next interval', failedAgain: 'usage report failed again; retrying next interval', recovered: 'usage reports reach central again' },
    });
    while (running) {
      await pause(options.intervalMs, stopping.signal);
      if (!running) break;
      try {
        const tenants = await reportNow();
        options.logger.debug({ tenants }, 'usage reported to central');
        streak.succeeded();
      } catch (error) {
        if (!running) break;
        streak.failed(error);
      }
    }
  }


  return {
    async start() {
      if (running) return;
      running = true;
      loop = run();
    },
    reportNow,
    async stop() {
      running = false;
      stopping.abort();
      await loop;
      stopping = new AbortController();
    },
  };
}

/**
 * A POST on a connection of its own (no keep-alive pool): one left open would keep central's
 * server (this very process, in one-process mode) from closing.
 */
function postJson(url: URL, payload: unknown, options: { headers: Record<string, string>; signal: AbortSignal }): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      { method: 'POST', agent: false, signal: options.signal, headers: { ...options.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
