/**
 * One broadcasting server of bench/realtime.bench.ts, in a process of its own (started by it with
 * IPC): Socket.IO at `/realtime` on Keel's real-time adapter (`openRealtimeAdapter`, as the regional
 * layer opens it), or a raw `ws` server for the baseline. Arguments: `socketio|ws <port>`; the
 * adapter comes from REALTIME_ADAPTER / REDIS_URL / BENCH_WORKER_URL. Commands over IPC:
 * `{cmd: 'memory'}` → `{rss, heapUsed}` after a full GC; `{cmd: 'emit', count, intervalMs}` emits
 * `tick` `{seq, sentAt}` to every client (`sentAt`: wall clock in ms, fractional) → `{emitted}`.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';
import { createLogger, loadConfig } from '@keel/kernel';
import { openRealtimeAdapter } from '../packages/regional/src/realtime/adapters.ts';

const [kind, portArgument] = process.argv.slice(2);
const port = Number(portArgument);
const now = () => performance.timeOrigin + performance.now();

type Broadcast = (payload: { seq: number; sentAt: number }) => void;

async function serve(): Promise<{ broadcast: Broadcast; close(): Promise<void> }> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen({ host: '127.0.0.1', port, backlog: 2048 }, resolve));
  if (kind === 'ws') {
    const wss = new WebSocketServer({ server: http });
    return {
      broadcast: (payload) => {
        // Encoded once, framed per client: Socket.IO goes further and frames once for all (pre-encoded frames).
        const data = Buffer.from(JSON.stringify(payload));
        for (const client of wss.clients) client.send(data, { binary: false });
      },
      close: async () => {
        for (const client of wss.clients) client.terminate();
        http.close();
      },
    };
  }
  const config = loadConfig({ REALTIME_ADAPTER: process.env.REALTIME_ADAPTER, REDIS_URL: process.env.REDIS_URL });
  const adapter = await openRealtimeAdapter({ config: config.realtimeAdapter, workerUrl: process.env.BENCH_WORKER_URL ?? '', logger: createLogger({ level: 'error', destination: process.stderr }) });
  const io = new Server(http, { path: '/realtime', serveClient: false, ...(adapter.create ? { adapter: adapter.create } : {}) });
  return {
    broadcast: (payload) => io.emit('tick', payload),
    close: async () => {
      io.local.disconnectSockets(true);
      await io.of('/').adapter.close();
      io.engine.close();
      http.close();
      await adapter.close();
    },
  };
}

const server = await serve();
const reply = (message: unknown) => process.send!(message);
process.on('message', (message: { cmd: string; count?: number; intervalMs?: number }) => {
  if (message.cmd === 'memory') {
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    reply({ rss, heapUsed });
  } else if (message.cmd === 'emit') {
    void emit(message.count!, message.intervalMs!).then(() => reply({ emitted: message.count }));
  } else if (message.cmd === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
reply({ ready: port });

async function emit(count: number, intervalMs: number): Promise<void> {
  for (let seq = 0; seq < count; seq += 1) {
    server.broadcast({ seq, sentAt: now() });
    if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
