/** A throw-away redis-server on 127.0.0.1 (no snapshots, no append-only file) for the real-time adapter. */
export function redisServerArgs(port: number): string[] {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'];
}
