import type { QueueConfig } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { createPostgresQueueDriver } from './drivers/postgres-queue-driver.ts';
import { createSqsQueueDriver } from './drivers/sqs-queue-driver.ts';
import type { QueueDriver } from './queue-driver.ts';

/** The queue driver QUEUE_DRIVER names: PostgreSQL (pg-boss, as the worker role) or Amazon SQS. */
export async function createQueueDriver(config: QueueConfig, options: { workerUrl: string; logger: Logger }): Promise<QueueDriver> {
  if (config.driver === 'sqs') {
    return createSqsQueueDriver({
      connection: { endpoint: config.sqs.endpoint, region: config.sqs.region },
      queuePrefix: config.sqs.queuePrefix,
      logger: options.logger,
      maxTransportAttempts: config.maxTransportAttempts,
    });
  }
  return createPostgresQueueDriver({
    connectionString: options.workerUrl,
    logger: options.logger,
    maxTransportAttempts: config.maxTransportAttempts,
    superviseIntervalSeconds: Math.ceil(config.superviseIntervalMs / 1000),
  });
}
