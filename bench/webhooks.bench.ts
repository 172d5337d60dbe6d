/**
 * Webhook delivery benchmark, PostgreSQL queue (pg-boss), everything in this process on its own
 * embedded PostgreSQL, with Keel's default queue configuration and a receiver on 127.0.0.1 that
 * answers 204 at once:
 *
 * 1. baseline: raw signed POSTs — the same sender, body and signature as a delivery, QUEUE_CONCURRENCY
 *    at a time, no queue and no database;
 * 2. end to end: `order.created` events appended to the outbox in tenant transactions (50 each, one
 *    endpoint per tenant) → relay → fan-out consumer (one job per endpoint, through the outbox again)
 *    → relay → delivery consumer (endpoint read, signed POST, log row, usage and ledger) → receiver.
 *    From the first append to the last delivery received; every event id must arrive exactly once.
 *
 * Count: BENCH_WEBHOOKS (default 2000). Writes bench/results/webhooks.json.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  appendToOutbox,
  createConsumerRuntime,
  createDatabase,
  createLogger,
  createLogReporter,
  createOutboxRelay,
  createPool,
  createQueueDriver,
  createWithTenant,
  loadConfig,
  messageRoutes,
  runWithContext,
  seededRandom,
  systemClock,
} from '@keel/kernel';
import { registerEndpoint } from '../packages/regional/src/webhooks/register-endpoint.ts';
import { signatureHeader, WEBHOOK_HEADERS } from '../packages/regional/src/webhooks/signature.ts';
import { createWebhookSender } from '../packages/regional/src/webhooks/send-webhook.ts';
import { createWebhooks } from '../packages/regional/src/webhooks/webhooks.ts';
import { provisionTenantRow } from '../test/support/keel.ts';
import { machine, printTable, startBenchPostgres, writeResults } from './support.ts';

const DELIVERIES = Number(process.env.BENCH_WEBHOOKS ?? 2_000);
const APPEND_BATCH = 50;
const TENANTS = 5;

const logger = createLogger({ level: 'warn', destination: process.stderr });
const reporter = createLogReporter(logger);
const config = loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
const queueConfig = config.queue;

interface Throughput {
  deliveries: number;
  seconds: number;
  perSecond: number;
}

const received = new Map<string, number>();
let onReceived = () => {};
const receiver = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const id = String(request.headers[WEBHOOK_HEADERS.id]);
    received.set(id, (received.get(id) ?? 0) + 1);
    response.writeHead(204).end();
    onReceived();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

console.log(`webhooks benchmark: ${DELIVERIES} deliveries per run to a receiver on 127.0.0.1; concurrency ${queueConfig.concurrency}`);
const postgres = await startBenchPostgres();
try {
  const baseline = await rawSignedPosts();
  console.log(`  raw signed POSTs: ${baseline.perSecond.toFixed(0)} /s`);
  received.clear();
  const endToEnd = await throughTheQueue();
  console.log(`  through the queue: ${endToEnd.perSecond.toFixed(0)} /s`);
  const duplicates = [...received.values()].filter((count) => count !== 1).length;
  if (received.size !== DELIVERIES || duplicates > 0) throw new Error(`expected ${DELIVERIES} event ids once each; got ${received.size} ids, ${duplicates} more than once`);

  console.log('');
  printTable(
    ['run', 'deliveries', 'seconds', 'deliveries/s'],
    [
      ['raw signed POSTs (baseline)', String(baseline.deliveries), baseline.seconds.toFixed(2), baseline.perSecond.toFixed(0)],
      ['outbox → fan-out → delivery', String(endToEnd.deliveries), endToEnd.seconds.toFixed(2), endToEnd.perSecond.toFixed(0)],
    ],
  );
  console.log(`\nThrough the queue / raw: ${((endToEnd.perSecond / baseline.perSecond) * 100).toFixed(0)} %. Every event id arrived exactly once.`);
  const file = await writeResults('webhooks', {
    benchmark: 'webhooks',
    date: new Date().toISOString(),
    machine: machine(),
    settings: { deliveries: DELIVERIES, appendBatch: APPEND_BATCH, tenants: TENANTS, concurrency: queueConfig.concurrency, outboxPollIntervalMs: queueConfig.outboxPollIntervalMs },
    notes: ['receiver on 127.0.0.1 answering 204 at once', 'baseline: the delivery sender alone (signed POSTs, keep-alive), no queue, no database'],
    baseline: rounded(baseline),
    endToEnd: rounded(endToEnd),
    ratio: Number((endToEnd.perSecond / baseline.perSecond).toFixed(3)),
  });
  console.log(`Results: ${file}`);
} finally {
  receiver.closeAllConnections();
  receiver.close();
  await postgres.stop();
}

/** The sender alone, QUEUE_CONCURRENCY requests in flight: what delivery costs without Keel's queue. */
async function rawSignedPosts(): Promise<Throughput> {
  const sender = createWebhookSender({ allowPrivateTargets: true, timeoutMs: config.webhooks.timeoutMs });
  const secret = `whsec_${randomUUID()}`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: queueConfig.concurrency }, async () => {
      while (next < DELIVERIES) {
        next += 1;
        const id = randomUUID();
        const body = JSON.stringify({ id, type: 'order.created', occurredAt: new Date().toISOString(), tenantId: id, data: { orderId: id, number: next, version: 1 } });
        const timestamp = Math.floor(Date.now() / 1000);
        const result = await sender.send({ url, body, headers: { [WEBHOOK_HEADERS.id]: id, [WEBHOOK_HEADERS.timestamp]: String(timestamp), [WEBHOOK_HEADERS.signature]: signatureHeader([secret], timestamp, body) } });
        if (!result.ok) throw result.error;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  sender.close();
  return { deliveries: DELIVERIES, seconds, perSecond: DELIVERIES / seconds };
}

async function throughTheQueue(): Promise<Throughput> {
  const driver = await createQueueDriver(queueConfig, { workerUrl: postgres.regional.worker, logger });
  const appPool = createPool(postgres.regional.app, { applicationName: 'keel-bench-app', logger });
  const workerPool = createPool(postgres.regional.worker, { applicationName: 'keel-bench-worker', logger });
  const withTenant = createWithTenant(createDatabase(appPool));
  const workerDatabase = createDatabase(workerPool);
  const webhooks = createWebhooks({ config: config.webhooks, fallbackKeyMaterial: 'bench', withTenant, clock: systemClock, logger });
  const routes = messageRoutes(webhooks.consumers);
  const runtime = createConsumerRuntime({
    driver,
    withTenant,
    workerDatabase,
    retryPolicy: config.webhooks.retry,
    concurrency: queueConfig.concurrency,
    visibilityTimeoutMs: queueConfig.visibilityTimeoutMs,
    clock: systemClock,
    random: seededRandom(1),
    logger,
    reporter,
  });
  const relay = createOutboxRelay({ workerDatabase, workerUrl: postgres.regional.worker, driver, routes, logger, reporter, pollIntervalMs: queueConfig.outboxPollIntervalMs });
  const tenants = Array.from({ length: TENANTS }, () => randomUUID());
  try {
    for (const tenantId of tenants) {
      await provisionTenantRow(postgres.regional.app, tenantId, `Bench ${tenantId.slice(0, 8)}`);
      await runWithContext({ requestId: randomUUID(), tenantId }, () =>
        registerEndpoint(withTenant, { secretBox: webhooks.secretBox, policy: webhooks.policy, now: new Date() }, { url, eventTypes: ['order.created'], description: '' }),
      );
    }
    await runtime.start(webhooks.consumers);
    await relay.start();
    const all = new Promise<void>((resolve) => {
      onReceived = () => {
        if (received.size >= DELIVERIES) resolve();
      };
    });
    const started = performance.now();
    for (let appended = 0; appended < DELIVERIES; appended += APPEND_BATCH) {
      const tenantId = tenants[(appended / APPEND_BATCH) % TENANTS]!;
      const count = Math.min(APPEND_BATCH, DELIVERIES - appended);
      await runWithContext({ requestId: randomUUID(), tenantId }, () =>
        withTenant((tx) =>
          appendToOutbox(
            tx,
            tenantId,
            Array.from({ length: count }, (_, index) => ({ type: 'order.created', payload: { orderId: randomUUID(), number: appended + index, version: 1 } })),
          ),
        ),
      );
    }
    await all;
    const seconds = (performance.now() - started) / 1000;
    return { deliveries: DELIVERIES, seconds, perSecond: DELIVERIES / seconds };
  } finally {
    await relay.stop();
    await runtime.stop();
    webhooks.close();
    await driver.close();
    await Promise.all([appPool.end(), workerPool.end()]);
  }
}

function rounded(throughput: Throughput): Throughput {
  return { deliveries: throughput.deliveries, seconds: Number(throughput.seconds.toFixed(3)), perSecond: Number(throughput.perSecond.toFixed(1)) };
}
