import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ClusterChild {
  readonly name: string;
  readonly exited: Promise<void>;
  /** Resolves once a line of its output contains `text`; rejects if it exits first. */
  waitForOutput(text: string): Promise<void>;
  /** SIGTERM to its process group, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs: number): Promise<void>;
}

/**
 * A process of the cluster in a process group of its own (so Ctrl-C reaches the cluster command
 * alone, which stops the rest in order), its output appended to `logFile`.
 */
export function spawnClusterChild(name: string, command: string, args: readonly string[], env: Record<string, string>, logFile: string): ClusterChild {
  const child = spawn(command, args, { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile, { flags: 'a' });
  let output = '';
  let running = true;
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    // Only the tail matters to a waiter; keep enough for a line split across chunks.
    output = (output + chunk.toString()).slice(-8_192);
    for (const check of waiters) check();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => {
    const end = () => {
      if (!running) return;
      running = false;
      log.end();
      for (const check of waiters) check();
      resolve();
    };
    child.once('close', end);
    // Not installed (ENOENT): nothing was started; the waiter is told as if it exited.
    child.once('error', (error) => {
      log.write(`${error.message}\n`);
      end();
    });
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };
  return {
    name,
    exited,
    waitForOutput: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (output.includes(text)) {
            waiters.delete(check);
            resolve();
          } else if (!running) {
            waiters.delete(check);
            reject(new Error(`${name} exited before it was ready; see ${logFile}`));
          }
        };
        waiters.add(check);
        check();
      }),
    async stop(graceMs) {
      if (!running) return;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
