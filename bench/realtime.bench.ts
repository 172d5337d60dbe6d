/**
 * Real-time fan-out benchmark: BENCH_CLIENTS (default 1000) WebSocket clients in this process, split
 * evenly across 2 Socket.IO servers (each a process of its own, bench/realtime-server.ts) sharing
 * Keel's real-time adapter — Redis Streams on a redis-server of its own, then PostgreSQL on an
 * embedded PostgreSQL of its own. Every event is emitted on the first server only, so half the
 * clients get it through the adapter. Beside it, the baseline: one raw `ws` server broadcasting to
 * the same number of clients, measured in the same run, and Socket.IO in the same shape (one
 * server, in-memory adapter): two servers use both cores where one uses one, so the like-for-like
 * ratio is Socket.IO's one server against ws's.
 *
 * Per setup: memory per idle connection (server RSS and heap after a full GC, before and after the
 * clients connect); emit-to-receive latency p50/p99 while BENCH_LATENCY_EVENTS (default 200)
 * events are emitted every 20 ms; delivered messages/s for BENCH_BURST_EVENTS (default 200) events
 * emitted back to back (from the first emit to the last receipt). Writes bench/results/realtime.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { findFreePort } from '@keel/kernel';
import { redisServerArgs } from '../packages/cli/src/cluster/redis-server.ts';
import { spawnProcessGroup } from '../test/support/processes.ts';
import { benchDir, machine, percentile, printTable, startBenchPostgres, writeResults } from './support.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 200);
const LATENCY_INTERVAL_MS = 20;
const BURST_EVENTS = Number(process.env.BENCH_BURST_EVENTS ?? 200);
const CONNECT_BATCH = 50;
const STALL_MS = 3_000;

const now = () => performance.timeOrigin + performance.now();

interface Setup {
  name: string;
  kind: 'socketio' | 'ws';
  servers: number;
  env: Record<string, string>;
}

interface Figures {
  setup: string;
  clients: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  deliveredPerSecond: number;
  /** Deliveries that never arrived (latency and burst runs together). */
  lost: number;
  bytesPerIdleConnection: { rss: number; heapUsed: number };
}

/** The clients of a run: each receive goes to `onTick`, which the current phase sets. */
interface Clients {
  onTick: (payload: { seq: number; sentAt: number }) => void;
  close(): void;
}

interface BenchServer {
  child: ChildProcess;
  url: string;
  ask<Answer>(message: unknown): Promise<Answer>;
}

async function startServer(kind: Setup['kind'], env: Record<string, string>): Promise<BenchServer> {
  const port = await findFreePort();
  const child = fork(path.join(benchDir, 'realtime-server.ts'), [kind, String(port)], { env: { ...process.env, ...env }, execArgv: ['--expose-gc'] });
  const ask = <Answer>(message: unknown) =>
    new Promise<Answer>((resolve) => {
      child.once('message', (answer) => resolve(answer as Answer));
      if (message !== undefined) child.send(message as object);
    });
  await ask(undefined);
  return { child, url: `http://127.0.0.1:${port}`, ask };
}

async function connectClients(kind: Setup['kind'], urls: readonly string[]): Promise<Clients> {
  const clients: Clients = { onTick: () => {}, close: () => {} };
  const closers: (() => void)[] = [];
  for (let start = 0; start < CLIENTS; start += CONNECT_BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(CONNECT_BATCH, CLIENTS - start) }, (_, offset) => {
        const url = urls[(start + offset) % urls.length]!;
        if (kind === 'ws') {
          const socket = new WebSocket(url.replace('http', 'ws'));
          socket.on('message', (data) => clients.onTick(JSON.parse(String(data)) as { seq: number; sentAt: number }));
          closers.push(() => socket.terminate());
          return new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
        }
        const socket: Socket = io(url, { path: '/realtime', transports: ['websocket'], reconnection: false, forceNew: true });
        socket.on('tick', (payload: { seq: number; sentAt: number }) => clients.onTick(payload));
        closers.push(() => socket.close());
        return new Promise((resolve, reject) => socket.once('connect', () => resolve(undefined)).once('connect_error', reject));
      }),
    );
  }
  clients.close = () => closers.forEach((close) => close());
  return clients;
}

/**
 * Emits `events` on the first server; resolves once every client received each of them, or once
 * nothing arrived for STALL_MS after the last emit (what is missing then was lost).
 */
async function run(server: BenchServer, clients: Clients, events: number, intervalMs: number): Promise<{ latencies: number[]; elapsedMs: number; lost: number }> {
  const expected = events * CLIENTS;
  const latencies: number[] = [];
  let firstSentAt = Number.POSITIVE_INFINITY;
  let lastReceivedAt = 0;
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  clients.onTick = ({ sentAt }) => {
    const at = now();
    latencies.push(at - sentAt);
    firstSentAt = Math.min(firstSentAt, sentAt);
    lastReceivedAt = at;
    if (latencies.length === expected) finish();
  };
  await server.ask({ cmd: 'emit', count: events, intervalMs });
  const stalled = setInterval(() => {
    if (now() - lastReceivedAt > STALL_MS) finish();
  }, 100);
  await done;
  clearInterval(stalled);
  clients.onTick = () => {};
  return { latencies, elapsedMs: lastReceivedAt - firstSentAt, lost: expected - latencies.length };
}

async function measure(setup: Setup): Promise<Figures> {
  const servers = await Promise.all(Array.from({ length: setup.servers }, () => startServer(setup.kind, setup.env)));
  try {
    const idle = await Promise.all(servers.map((server) => server.ask<{ rss: number; heapUsed: number }>({ cmd: 'memory' })));
    const clients = await connectClients(setup.kind, servers.map((server) => server.url));
    const loaded = await Promise.all(servers.map((server) => server.ask<{ rss: number; heapUsed: number }>({ cmd: 'memory' })));
    const perConnection = (field: 'rss' | 'heapUsed') => Math.round(loaded.reduce((sum, memory, index) => sum + memory[field] - idle[index]![field], 0) / CLIENTS);
    // A short warm-up, so that the first figures are not those of cold code paths.
    await run(servers[0]!, clients, 20, 5);
    const latency = await run(servers[0]!, clients, LATENCY_EVENTS, LATENCY_INTERVAL_MS);
    const burst = await run(servers[0]!, clients, BURST_EVENTS, 0);
    clients.close();
    return {
      setup: setup.name,
      clients: CLIENTS,
      latencyP50Ms: percentile(latency.latencies, 50),
      latencyP99Ms: percentile(latency.latencies, 99),
      deliveredPerSecond: Math.round(burst.latencies.length / (burst.elapsedMs / 1000)),
      lost: latency.lost + burst.lost,
      bytesPerIdleConnection: { rss: perConnection('rss'), heapUsed: perConnection('heapUsed') },
    };
  } finally {
    await Promise.all(servers.map(async (server) => {
      server.child.send({ cmd: 'close' });
      await new Promise((resolve) => server.child.once('exit', resolve));
    }));
  }
}

const redisPort = await findFreePort();
const redis = spawnProcessGroup('redis-server', redisServerArgs(redisPort), { label: 'redis-server' });
await redis.waitForLine('Ready to accept connections');
const postgres = await startBenchPostgres();
const results: Figures[] = [];
try {
  results.push(await measure({ name: 'raw ws, 1 server (baseline)', kind: 'ws', servers: 1, env: {} }));
  // The same shape as the baseline (one process, no adapter): what Socket.IO itself costs.
  results.push(await measure({ name: 'Socket.IO, 1 server, in memory', kind: 'socketio', servers: 1, env: { REALTIME_ADAPTER: 'memory' } }));
  results.push(await measure({ name: 'Socket.IO, 2 servers, Redis Streams', kind: 'socketio', servers: 2, env: { REALTIME_ADAPTER: 'redis', REDIS_URL: `redis://127.0.0.1:${redisPort}` } }));
  results.push(await measure({ name: 'Socket.IO, 2 servers, PostgreSQL', kind: 'socketio', servers: 2, env: { REALTIME_ADAPTER: 'postgres', BENCH_WORKER_URL: postgres.regional.worker } }));
} finally {
  redis.kill();
  await postgres.stop();
}

const baseline = results[0]!;
const ms = (value: number) => value.toFixed(1);
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
printTable(
  ['setup', 'p50 ms', 'p99 ms', 'delivered msg/s', 'vs ws', 'lost', 'RSS KiB/conn', 'heap KiB/conn'],
  results.map((figures) => [
    figures.setup,
    ms(figures.latencyP50Ms),
    ms(figures.latencyP99Ms),
    String(figures.deliveredPerSecond),
    (figures.deliveredPerSecond / baseline.deliveredPerSecond).toFixed(2),
    String(figures.lost),
    kib(figures.bytesPerIdleConnection.rss),
    kib(figures.bytesPerIdleConnection.heapUsed),
  ]),
);
const file = await writeResults('realtime', {
  settings: { clients: CLIENTS, latencyEvents: LATENCY_EVENTS, latencyIntervalMs: LATENCY_INTERVAL_MS, burstEvents: BURST_EVENTS },
  results: results.map((figures) => ({ ...figures, deliveredVsWs: figures.deliveredPerSecond / baseline.deliveredPerSecond })),
  machine: machine(),
  measuredAt: new Date().toISOString(),
});
console.log(`\nwritten to ${file}`);
