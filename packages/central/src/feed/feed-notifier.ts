import { createPgListener, type Logger } from '@keel/kernel';

export interface FeedNotifier {
  /**
   * Resolves on the next feed append, or after `timeoutMs`, whichever comes first: `true`; or at
   * once, and whenever shutdown begins while it waits: `false` (the caller answers what it has,
   * touching the database no more, as its pool is about to close).
   */
  nextAppend(timeoutMs: number): Promise<boolean>;
  /** Calls `listener` on every append until the returned function is called. */
  onAppend(listener: () => void): () => void;
  /** Shutdown begins: every waiting long poll is answered now, and later ones at once. */
  releaseAll(): void;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per central process, shared by every long-polling request and the SNS
 * relay. It reconnects after a database restart; appends made while it was disconnected were not
 * notified, so reconnecting counts as an append (waiters read the feed again).
 */
export async function createFeedNotifier(url: string, logger: Logger): Promise<FeedNotifier> {
  const waiters = new Set<() => void>();
  const listeners = new Set<() => void>();
  let shuttingDown = false;
  const wakeAll = () => {
    for (const wake of waiters) wake();
  };
  const releaseAll = () => {
    shuttingDown = true;
    wakeAll();
  };
  const appended = () => {
    wakeAll();
    for (const listener of listeners) listener();
  };
  const connection = await createPgListener({ url, channel: 'keel_feed', applicationName: 'keel-feed-notifier', logger, onNotification: appended, onReconnect: appended });
  return {
    nextAppend: (timeoutMs) =>
      new Promise<boolean>((resolve) => {
        if (shuttingDown) {
          resolve(false);
          return;
        }
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve(!shuttingDown);
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
      }),
    onAppend(listener) {
      const subscription = () => listener();
      listeners.add(subscription);
      return () => listeners.delete(subscription);
    },
    releaseAll,
    async close() {
      releaseAll();
      await connection.close();
    },
  };
}
