import { Writable } from 'node:stream';
import { createLogger, type AppError, type ErrorReporter, type Logger } from '@keel/kernel';

/** A real pino logger whose JSON lines land, parsed, in `logs`. */
export function createCapturingLogger(level: 'info' | 'debug' = 'info'): { logger: Logger; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level, destination }), logs };
}

/** An error reporter that keeps what it was given. */
export function createCapturingReporter(): { reporter: ErrorReporter; reported: AppError[] } {
  const reported: AppError[] = [];
  return { reporter: { report: (error) => void reported.push(error), flush: async () => true }, reported };
}
