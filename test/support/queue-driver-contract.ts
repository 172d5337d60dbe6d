import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deadLetterQueueOf, type Envelope, type QueueDriver, type QueueSubscription } from '@keel/kernel';

export interface ContractDriver {
  driver: QueueDriver;
  /** The driver's `maxTransportAttempts` as configured for this suite. */
  maxTransportAttempts: number;
  /** False when the transport cannot tell its oldest message's age (SQS): it reports null. */
  reportsMessageAge: boolean;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every queue driver owes the consumer runtime. Call inside a `describe` of a driver's
 * test file; the setup configures short visibility timeouts so redeliveries come quickly.
 */
export function queueDriverContract(setup: () => Promise<ContractDriver>): void {
  let subject: ContractDriver;
  const subscriptions: QueueSubscription[] = [];
  const visibilityTimeoutMs = 1_000;

  beforeAll(async () => {
    subject = await setup();
  });
  afterAll(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
    await subject?.cleanup();
  });

  const newQueue = async () => {
    const queue = `contract-${randomUUID().slice(0, 8)}`;
    await subject.driver.ensureQueue(queue);
    return queue;
  };
  const consume = async (queue: string, handler: (envelope: Envelope) => Promise<void>, concurrency = 4) => {
    const subscription = await subject.driver.consume(queue, handler, { concurrency, visibilityTimeoutMs });
    subscriptions.push(subscription);
    return subscription;
  };

  it('delivers what was sent, envelope intact', async () => {
    const queue = await newQueue();
    const sent = envelope({ payload: { orderId: randomUUID(), lines: [{ sku: 'A-1', quantity: 2 }], note: 'ünïcödé ✓' } });
    await subject.driver.send(queue, [{ envelope: sent }]);
    const received = new Deliveries(1);
    await consume(queue, received.handler);
    expect(await received.all).toEqual([sent]);
  });

  it('delivers every message of a batch exactly once when handlers succeed', async () => {
    const queue = await newQueue();
    const sent = Array.from({ length: 25 }, (_, index) => envelope({ payload: { index } }));
    await subject.driver.send(queue, sent.map((message) => ({ envelope: message })));
    const received = new Deliveries(25);
    await consume(queue, received.handler);
    const ids = (await received.all).map((message) => message.eventId);
    expect(new Set(ids).size).toBe(25);
    expect(new Set(ids)).toEqual(new Set(sent.map((message) => message.eventId)));
    expect(received.extra).toEqual([]);
  });

  it('delivers again a message whose handler failed', async () => {
    const queue = await newQueue();
    const sent = envelope();
    await subject.driver.send(queue, [{ envelope: sent }]);
    const received = new Deliveries(2, { fail: 'until-last' });
    await consume(queue, received.handler, 1);
    const [first, second] = await received.all;
    expect(first!.eventId).toBe(sent.eventId);
    expect(second!.eventId).toBe(sent.eventId);
  });

  it('holds a delayed message back for at least its delay', async () => {
    const queue = await newQueue();
    const delayMs = 1_500;
    const sentAt = Date.now();
    await subject.driver.send(queue, [{ envelope: envelope(), delayMs }]);
    const received = new Deliveries(1);
    await consume(queue, received.handler);
    await received.all;
    expect(received.firstAt! - sentAt).toBeGreaterThanOrEqual(delayMs - 50);
  });

  it('reports depth and the age of the oldest message', async () => {
    const queue = await newQueue();
    expect(await subject.driver.stats(queue)).toEqual({ depth: 0, oldestMessageAgeMs: null });
    await subject.driver.send(queue, [{ envelope: envelope() }, { envelope: envelope() }, { envelope: envelope() }]);
    const waiting = await subject.driver.stats(queue);
    expect(waiting.depth).toBe(3);
    if (subject.reportsMessageAge) expect(waiting.oldestMessageAgeMs).toBeGreaterThanOrEqual(0);
    else expect(waiting.oldestMessageAgeMs).toBeNull();
    const received = new Deliveries(3);
    const subscription = await consume(queue, received.handler);
    await received.all;
    await subscription.stop();
    expect(await subject.driver.stats(queue)).toEqual({ depth: 0, oldestMessageAgeMs: null });
  });

  it('stops receiving after stop(), letting a handler in flight finish', async () => {
    const queue = await newQueue();
    const first = envelope();
    await subject.driver.send(queue, [{ envelope: first }]);
    const release = Promise.withResolvers<void>();
    let finished = false;
    const stoppedOne = new Arrivals(async () => {
      await release.promise;
      finished = true;
    });
    const subscription = await consume(queue, stoppedOne.handler);
    await stoppedOne.arrival(first.eventId);
    const stopped = subscription.stop();
    release.resolve();
    await stopped;
    expect(finished).toBe(true);

    // Messages sent after stop() while another consumer polls the queue: a subscription still
    // polling would take one (each round gives it a new chance), and the other would not get it.
    const next = new Arrivals();
    await consume(queue, next.handler);
    const sentAfterStop = Array.from({ length: 5 }, () => envelope());
    for (const message of sentAfterStop) {
      await subject.driver.send(queue, [{ envelope: message }]);
      await Promise.race([next.arrival(message.eventId), stoppedOne.arrival(message.eventId)]);
    }
    expect(stoppedOne.received).toEqual([first]);
    expect(next.received).toEqual(sentAfterStop);
  });

  it('moves a message whose handler never succeeds to the transport dead-letter queue', async () => {
    const queue = await newQueue();
    await subject.driver.send(queue, [{ envelope: envelope() }]);
    const received = new Deliveries(subject.maxTransportAttempts, { fail: 'always' });
    const subscription = await consume(queue, received.handler, 1);
    await received.all;
    await waitUntil(async () => (await subject.driver.stats(deadLetterQueueOf(queue))).depth === 1);
    await subscription.stop();
    expect(received.extra).toEqual([]);
  });

  it('creates queues idempotently', async () => {
    const queue = await newQueue();
    await subject.driver.ensureQueue(queue);
    await subject.driver.send(queue, [{ envelope: envelope() }]);
    expect((await subject.driver.stats(queue)).depth).toBe(1);
  });
}

export function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    eventId: randomUUID(),
    type: 'contract.tested',
    tenantId: randomUUID(),
    occurredAt: new Date().toISOString(),
    payload: {},
    attempt: 1,
    ...overrides,
  };
}

/**
 * A handler that records deliveries: `all` resolves once `expected` arrived; later ones land in
 * `extra`. `fail: 'until-last'` throws on each delivery but the expected last, `'always'` on all.
 */
export class Deliveries {
  readonly all: Promise<Envelope[]>;
  readonly extra: Envelope[] = [];
  firstAt: number | undefined;
  readonly #received: Envelope[] = [];
  readonly #done = Promise.withResolvers<Envelope[]>();
  readonly #expected: number;
  readonly #fail: 'until-last' | 'always' | undefined;

  constructor(expected: number, options: { fail?: 'until-last' | 'always' } = {}) {
    this.#expected = expected;
    this.#fail = options.fail;
    this.all = this.#done.promise;
  }

  readonly handler = async (envelope: Envelope): Promise<void> => {
    this.firstAt ??= Date.now();
    if (this.#received.length >= this.#expected) {
      this.extra.push(envelope);
      if (this.#fail === 'always') throw new Error('handler fails (always)');
      return;
    }
    this.#received.push(envelope);
    const isLast = this.#received.length === this.#expected;
    if (isLast) this.#done.resolve([...this.#received]);
    if (this.#fail === 'always' || (this.#fail === 'until-last' && !isLast)) throw new Error(`handler fails (${this.#fail})`);
  };
}

/** A handler that records every envelope it is handed (then runs `then`); `arrival` resolves once one came. */
class Arrivals {
  readonly received: Envelope[] = [];
  readonly #arrived = new Map<string, PromiseWithResolvers<void>>();
  readonly #then: (() => Promise<void>) | undefined;

  constructor(then?: () => Promise<void>) {
    this.#then = then;
  }

  readonly handler = async (envelope: Envelope): Promise<void> => {
    this.received.push(envelope);
    this.#resolver(envelope.eventId).resolve();
    await this.#then?.();
  };

  arrival(eventId: string): Promise<void> {
    return this.#resolver(eventId).promise;
  }

  #resolver(eventId: string): PromiseWithResolvers<void> {
    let resolver = this.#arrived.get(eventId);
    if (!resolver) this.#arrived.set(eventId, (resolver = Promise.withResolvers<void>()));
    return resolver;
  }
}

/** Polls a condition that has no event of its own (a queue's depth), bounded by the test timeout. */
export async function waitUntil(condition: () => Promise<boolean>, intervalMs = 50): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}
