export interface HaproxyInstance {
  name: string;
  port: number;
}

export interface HaproxyConfigOptions {
  /** Where HAProxy listens (on 127.0.0.1). */
  port: number;
  /** The regional Keel instances behind it (on 127.0.0.1). */
  instances: readonly HaproxyInstance[];
  /**
   * `sticky`: a cookie keeps each Socket.IO session on the instance that opened it, which
   * long-polling needs (its requests carry a session id only that instance knows).
   * `round-robin`: none, for WebSocket-only clients (and to show what polling does without it).
   */
  realtime: 'sticky' | 'round-robin';
  /** How often `/health` is checked; an instance failing twice gets no new requests. */
  healthCheckIntervalMs?: number;
}

export const STICKY_COOKIE = 'KEEL_INSTANCE';

/**
 * The HAProxy configuration in front of several regional instances: `/realtime` (Socket.IO) on a
 * backend with cookie stickiness (or plain round-robin), the rest round-robin. A request to an
 * instance that died goes to a survivor (`redispatch`), cookie or not.
 */
export function haproxyConfig(options: HaproxyConfigOptions): string {
  const interval = options.healthCheckIntervalMs ?? 1_000;
  const servers = (withCookie: boolean) =>
    options.instances.map(
      ({ name, port }) => `  server ${name} 127.0.0.1:${port} check inter ${interval} fall 2 rise 1${withCookie ? ` cookie ${name}` : ''}`,
    );
  const sticky = options.realtime === 'sticky';
  return [
    // No maxconn: HAProxy derives it from the file-descriptor limit it is given.
    'global',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // An open WebSocket is a tunnel: it lives as long as the client keeps it.
    '  timeout tunnel 1h',
    '  retries 2',
    '  option redispatch',
    `frontend keel`,
    `  bind 127.0.0.1:${options.port}`,
    '  acl realtime path_beg /realtime',
    '  use_backend keel_realtime if realtime',
    '  default_backend keel_api',
    'backend keel_api',
    '  balance roundrobin',
    '  option httpchk GET /health',
    ...servers(false),
    'backend keel_realtime',
    '  balance roundrobin',
    '  option httpchk GET /health',
    ...(sticky ? [`  cookie ${STICKY_COOKIE} insert indirect nocache httponly`] : []),
    ...servers(sticky),
    '',
  ].join('\n');
}
