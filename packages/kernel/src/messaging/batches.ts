/** What SQS's SendMessageBatch and SNS's PublishBatch take per call: at most 10 entries and 256 KiB in all. */
export const AWS_BATCH_LIMITS: BatchLimits = { maxEntries: 10, maxBytes: 256 * 1024 };

export interface BatchLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * Splits `entries` (in order) into batches of at most `maxEntries` entries and `maxBytes` bytes in
 * all. An entry larger than `maxBytes` on its own gets a batch of its own: refusing it is the
 * caller's decision.
 */
export function* sizedBatches<T extends { readonly bytes: number }>(entries: readonly T[], limits: BatchLimits = AWS_BATCH_LIMITS): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (batch.length === limits.maxEntries || (batch.length > 0 && bytes + entry.bytes > limits.maxBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += entry.bytes;
  }
  if (batch.length > 0) yield batch;
}
