import type { Envelope } from './envelope.ts';

export interface OutgoingMessage {
  envelope: Envelope;
  /** Deliver no earlier than this many milliseconds from now (retry backoff). */
  delayMs?: number;
}

export interface ConsumeOptions {
  /** Messages handled at once by this process. */
  concurrency: number;
  /**
   * How long a received message stays invisible to other consumers; longer than the slowest handler.
   * Drivers extend it while a handler is still running.
   */
  visibilityTimeoutMs: number;
}

export interface QueueStats {
  /** Messages waiting or being handled. */
  depth: number;
  /**
   * Age of the oldest message not yet acknowledged; null when the queue is empty, or when the
   * transport cannot tell (SQS: only CloudWatch knows) — `depth` says which.
   */
  oldestMessageAgeMs: number | null;
}

export interface QueueSubscription {
  /** Stops receiving; resolves once handlers in flight have finished. */
  stop(): Promise<void>;
}

/**
 * The queue port. A handler that resolves acknowledges its message; one that rejects (or a process
 * that dies mid-handler) leaves it to the transport, which delivers it again later and, after
 * `maxTransportAttempts`, moves it to the queue's own dead-letter queue (`<queue>-dlq`) — the net
 * behind Keel's dead-letter table. Retries with backoff and dead-lettering by error code are the
 * consumer runtime's job (messaging/consumer-runtime.ts), the same for every driver.
 */
export interface QueueDriver {
  readonly kind: 'postgres' | 'sqs';
  /** Creates the queue and its dead-letter queue if missing; idempotent. */
  ensureQueue(queue: string): Promise<void>;
  send(queue: string, messages: readonly OutgoingMessage[]): Promise<void>;
  consume(queue: string, handler: (envelope: Envelope) => Promise<void>, options: ConsumeOptions): Promise<QueueSubscription>;
  stats(queue: string): Promise<QueueStats>;
  close(): Promise<void>;
}

export function deadLetterQueueOf(queue: string): string {
  return `${queue}-dlq`;
}
