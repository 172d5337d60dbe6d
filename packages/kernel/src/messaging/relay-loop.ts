export interface RelayLoopOptions {
  /** One pass over what is pending. A rejection goes to `onError`; the loop goes on. */
  pass: () => Promise<void>;
  onError: (error: unknown) => void;
  /** The pause between passes when nothing wakes the loop: the fallback for a missed notification, and the pause after a failed pass. */
  intervalMs: number;
}

export interface RelayLoop {
  start(): void;
  /** Runs a pass now, or right after the one in progress (which may have missed what woke it). */
  wake(): void;
  /** Ends the pause at once; resolves when the pass in progress, if any, has finished. */
  stop(): Promise<void>;
}

/**
 * The loop of a relay (outbox → queues, central's feed → SNS): a pass, then a pause until a
 * notification wakes it, `intervalMs` passes, or it is stopped. What it claims and publishes,
 * and how it is notified, is the relay's.
 */
export function createRelayLoop(options: RelayLoopOptions): RelayLoop {
  let running = false;
  let loop: Promise<void> | undefined;
  let woken = false;
  let endPause: (() => void) | undefined;

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      try {
        await options.pass();
      } catch (error) {
        options.onError(error);
      }
      if (!running) break;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.intervalMs);
        function done(): void {
          clearTimeout(timer);
          endPause = undefined;
          resolve();
        }
        endPause = done;
      });
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      endPause?.();
    },
    async stop() {
      running = false;
      endPause?.();
      await loop;
    },
  };
}
