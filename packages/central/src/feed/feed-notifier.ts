import pg from 'pg';
import type { Logger } from '@keel/kernel';

export interface FeedNotifier {
  /** Resolves on the next feed append, or after `timeoutMs`, whichever comes first. */
  nextAppend(timeoutMs: number): Promise<void>;
  /** Answers every waiting long poll now (shutdown must not wait for their timeouts). */
  releaseAll(): void;
  close(): Promise<void>;
}

/** One LISTEN connection per central process, shared by every long-polling request. */
export async function createFeedNotifier(url: string, logger: Logger): Promise<FeedNotifier> {
  const waiters = new Set<() => void>();
  const client = new pg.Client({ connectionString: url, application_name: 'keel-feed-notifier' });
  client.on('error', (error) => logger.warn({ err: error }, 'feed notifier lost its connection; long polls time out instead'));
  client.on('notification', () => {
    for (const wake of waiters) wake();
  });
  await client.connect();
  await client.query('listen keel_feed');
  const releaseAll = () => {
    for (const wake of waiters) wake();
  };
  return {
    nextAppend: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
      }),
    releaseAll,
    async close() {
      releaseAll();
      await client.end().catch(() => {});
    },
  };
}
