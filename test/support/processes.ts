import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository's root directory. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A child process in a process group of its own (`detached`), with its stdout kept as lines and its
 * stderr as text. Signals go to the whole group, as Ctrl-C in a terminal does.
 */
export interface GroupProcess {
  readonly pid: number;
  /** Resolves once the process has exited and every process holding its stdout and stderr too. */
  readonly closed: Promise<Exit>;
  /** Every stdout line so far (with an unterminated last line, if any). */
  stdoutLines(): string[];
  stderr(): string;
  /** Resolves when a stdout line contains `text` (or already did); rejects if the process closes first. */
  waitForLine(text: string): Promise<void>;
  /** Calls `listener` with each complete stdout line from now on; returns the unsubscribe function. */
  onLine(listener: (line: string) => void): () => void;
  /** Sends `signal` to the process group. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL to the process group if any of it still runs (teardown). */
  kill(): void;
}

export interface SpawnOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Names the process in rejection messages. */
  label?: string;
}

export function spawnProcessGroup(command: string, args: readonly string[], options: SpawnOptions = {}): GroupProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const label = options.label ?? [command, ...args].join(' ');
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  let exit: Exit | undefined;
  const lineListeners = new Set<(line: string) => void>();
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    const pieces = (partial + chunk.toString()).split('\n');
    partial = pieces.pop()!;
    const complete = pieces.filter(Boolean);
    lines.push(...complete);
    for (const line of complete) for (const listener of lineListeners) listener(line);
    for (const check of waiters) check();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<Exit>((resolve) => {
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      exit = { code, signal };
      for (const check of waiters) check();
      resolve(exit);
    });
  });
  const stdoutLines = () => [...lines, partial].filter(Boolean);
  return {
    pid: child.pid!,
    closed,
    stdoutLines,
    stderr: () => stderr,
    waitForLine: (text) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (stdoutLines().some((line) => line.includes(text))) {
            waiters.delete(check);
            resolve();
          } else if (exit) {
            waiters.delete(check);
            reject(new Error(`${label} ended (${JSON.stringify(exit)}) before printing ${text}\n${stdoutLines().join('\n')}\n${stderr}`));
          }
        };
        waiters.add(check);
        check();
      }),
    onLine(listener) {
      lineListeners.add(listener);
      return () => lineListeners.delete(listener);
    },
    signal: (signal) => process.kill(-child.pid!, signal),
    kill: () => killIfRunning(-child.pid!),
  };
}

/** Runs a TypeScript program of this repository with this Node (v24 strips the types). */
export function spawnNodeScript(script: string, options: SpawnOptions = {}): GroupProcess {
  return spawnProcessGroup(process.execPath, [script], { label: script, ...options });
}

/** SIGKILL to a process, or with a negative pid to a process group, unless it is gone already. */
export function killIfRunning(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
