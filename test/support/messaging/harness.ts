import type { TestDatabases } from '../databases.ts';
import { spawnNodeScript, type GroupProcess } from '../processes.ts';
import type { QueueDriverKind } from './effects.ts';

/** Where the messaging test processes connect. */
export interface MessagingTarget {
  kind: QueueDriverKind;
  queue: string;
  /** Regional app and worker roles. */
  appUrl: string;
  workerUrl: string;
  /** fauxqs (SQS driver). */
  sqsEndpoint?: string | undefined;
}

function environment(target: MessagingTarget): Record<string, string> {
  return {
    KEEL_TEST_APP_URL: target.appUrl,
    KEEL_TEST_WORKER_URL: target.workerUrl,
    KEEL_TEST_QUEUE: target.queue,
    KEEL_TEST_QUEUE_DRIVER: target.kind,
    ...(target.sqsEndpoint === undefined ? {} : { KEEL_TEST_SQS_ENDPOINT: target.sqsEndpoint }),
  };
}

/** test/support/messaging/consumer-process.ts: prints `ready`, then `applied <event id>` per committed effect. */
export function spawnConsumerProcess(target: MessagingTarget, options: { seed: number; concurrency?: number }): GroupProcess {
  return spawnNodeScript('test/support/messaging/consumer-process.ts', {
    env: { ...environment(target), KEEL_TEST_SEED: String(options.seed), KEEL_TEST_CONCURRENCY: String(options.concurrency ?? 4) },
  });
}

/** test/support/messaging/relay-process.ts: prints `ready` once relaying; dies (SIGKILL) at the failpoints given. */
export function spawnRelayProcess(target: MessagingTarget, options: { failpoints?: readonly string[] } = {}): GroupProcess {
  return spawnNodeScript('test/support/messaging/relay-process.ts', {
    env: { ...environment(target), KEEL_FAILPOINTS: (options.failpoints ?? []).join(',') },
  });
}

/** The cluster's superuser on a test file's regional database: counts across tenants, past row-level security. */
export function regionalSuperuserUrl(databases: TestDatabases): string {
  const url = new URL(databases.superuserUrl);
  url.pathname = new URL(databases.regional.owner).pathname;
  return url.toString();
}
