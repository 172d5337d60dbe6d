import { EventEmitter } from 'node:events';
import { SQSClient } from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';

/** fauxqs accepts any credentials; the SDK only needs some to sign with. */
export const fauxqsCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
export const fauxqsRegion = 'us-east-1';

/** One API call fauxqs answered: SQS's `x-amz-target` action or SNS's `Action`, with its parameters. */
export interface FauxqsRequest {
  action: string;
  params: Record<string, unknown>;
}

/** A message as fauxqs's inspection shows it (the fields tests look at). */
export interface InspectedMessage {
  body: string;
  approximateReceiveCount: number;
}

export interface QueueInspection {
  name: string;
  url: string;
  messages: {
    ready: InspectedMessage[];
    delayed: InspectedMessage[];
    inflight: { message: InspectedMessage; receiptHandle: string; visibilityDeadline: number }[];
  };
}

export interface Fauxqs {
  /** `http://127.0.0.1:<port>`: the endpoint for SQS, SNS and (with `forcePathStyle`) S3 clients. */
  endpoint: string;
  /** Every SQS and SNS call answered so far, oldest first. */
  readonly requests: readonly FauxqsRequest[];
  /** Resolves with the next answered call that matches (state already changed when it resolves). */
  nextRequest(matches: (request: FauxqsRequest) => boolean): Promise<FauxqsRequest>;
  /** Ready, delayed and in-flight messages of a queue, without receiving them; undefined if no such queue. */
  inspectQueue(name: string): Promise<QueueInspection | undefined>;
  /** An SQS client on this emulator with dummy credentials; destroyed by `stop()`. */
  sqsClient(): SQSClient;
  stop(): Promise<void>;
}

/**
 * An in-memory SQS/SNS/S3 emulator in this process, on 127.0.0.1 and a free port (fauxqs's own
 * `startFauxqs` binds every interface, hence `buildApp` + `listen` here).
 */
export async function startFauxqs(): Promise<Fauxqs> {
  const app = buildApp({ logger: false });
  const requests: FauxqsRequest[] = [];
  const answered = new EventEmitter();
  app.addHook('onResponse', async (request) => {
    const recorded = describeRequest(request.headers['x-amz-target'], request.body);
    if (!recorded) return;
    requests.push(recorded);
    answered.emit('request', recorded);
  });
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  const clients: SQSClient[] = [];

  return {
    endpoint,
    requests,
    nextRequest(matches) {
      return new Promise((resolve) => {
        const listener = (request: FauxqsRequest) => {
          if (!matches(request)) return;
          answered.off('request', listener);
          resolve(request);
        };
        answered.on('request', listener);
      });
    },
    async inspectQueue(name) {
      const response = await fetch(`${endpoint}/_fauxqs/queues/${encodeURIComponent(name)}`);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`fauxqs inspection of ${name} answered ${response.status}`);
      return (await response.json()) as QueueInspection;
    },
    sqsClient() {
      const client = new SQSClient({ endpoint, region: fauxqsRegion, credentials: fauxqsCredentials });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients.splice(0)) client.destroy();
      await app.close();
    },
  };
}

function describeRequest(target: string | string[] | undefined, body: unknown): FauxqsRequest | undefined {
  if (typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return undefined;
  const params = body as Record<string, unknown>;
  if (typeof target === 'string') return { action: target.slice(target.lastIndexOf('.') + 1), params };
  if (typeof params.Action === 'string') return { action: params.Action, params };
  return undefined;
}
