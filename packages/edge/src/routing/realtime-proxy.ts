import { request as httpRequest, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { asAppError, RouteNotFoundError, type HttpApp } from '@keel/kernel';
import { AuthTokenWrongRegionError } from '@keel/central/contracts';
import { UpstreamUnavailableError } from './errors.ts';
import { upstreamTarget } from './upstream-target.ts';

export const REALTIME_PATH = '/realtime';

/** How long a region has to answer a WebSocket upgrade (reply-from's default for the HTTP routes). */
export const REALTIME_UPGRADE_TIMEOUT_MS = 10_000;

export interface RealtimeRouting {
  regionUrls: ReadonlyMap<string, string>;
  /** Default {@link REALTIME_UPGRADE_TIMEOUT_MS}. */
  realtimeUpgradeTimeoutMs?: number | undefined;
}

/**
 * The URL in the region that a `/realtime` request goes to. Socket.IO carries its token in the
 * `auth` payload of its first message, not in HTTP, so the edge cannot read the home region from
 * it: the client names the region of its token in the query (`?region=`), and the region still
 * refuses a token minted for another one. An unknown or missing region is refused, and so is a path
 * that would leave `/realtime` once resolved (dot segments): nothing is forwarded.
 */
export function realtimeTarget(requestUrl: string, regionUrls: ReadonlyMap<string, string>): URL {
  if (!isRealtimeRequest(requestUrl)) throw new RouteNotFoundError();
  const region = new URL(requestUrl, 'http://edge').searchParams.get('region');
  const regionUrl = region === null ? undefined : regionUrls.get(region);
  if (regionUrl === undefined) throw new AuthTokenWrongRegionError();
  return upstreamTarget(requestUrl, regionUrl, [REALTIME_PATH]);
}

function isRealtimeRequest(url: string): boolean {
  const path = url.split(/[?#]/, 1)[0]!;
  return path === REALTIME_PATH || path.startsWith(`${REALTIME_PATH}/`);
}

/**
 * Proxies WebSocket upgrades of `/realtime` to the region: the upgrade request goes on with its
 * headers (the load balancer's sticky cookie among them), and once the region switches protocols
 * the two sockets are piped together. Socket.IO's polling requests go through the HTTP routes.
 * Node hands every upgrade request to this listener: any other is answered 404 and closed.
 */
export function proxyRealtimeUpgrades(app: HttpApp, routing: RealtimeRouting): void {
  const timeoutMs = routing.realtimeUpgradeTimeoutMs ?? REALTIME_UPGRADE_TIMEOUT_MS;
  // Upgraded sockets leave the HTTP server's bookkeeping but not its count: close() would wait for
  // them forever. preClose runs before the server closes (onClose hooks run after).
  const clients = new Set<Duplex>();
  app.addHook('preClose', (done) => {
    for (const socket of clients) socket.destroy();
    done();
  });
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => socket.destroy());
    // Whatever the edge answers, the connection ends with it: a client keeping its side open holds
    // no descriptor; and the server keeps sockets half-open, so a client that ends its side has left.
    socket.on('finish', () => socket.destroy());
    socket.on('end', () => socket.destroy());
    let target: URL;
    try {
      target = realtimeTarget(request.url ?? '', routing.regionUrls);
    } catch (error) {
      refuse(socket, error);
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(target, {
      method: 'GET',
      headers: { ...request.headers, host: target.host, 'x-forwarded-for': request.socket.remoteAddress ?? '' },
    });
    // The client may leave at any moment, during the handshake too: the region's side goes with it.
    // Reading is what shows that it left. Until the region answers it MUST send nothing (RFC 6455
    // 4.1): one that does is cut rather than buffered.
    socket.on('close', () => upstream.destroy());
    const cutEarlySender = () => socket.destroy();
    socket.on('data', cutEarlySender);
    const timer = setTimeout(() => upstream.destroy(new Error(`the region did not answer the upgrade in ${timeoutMs} ms`)), timeoutMs);
    upstream.on('close', () => clearTimeout(timer));
    upstream.on('upgrade', (response, upstreamSocket, upstreamHead) => {
      clearTimeout(timer);
      upstreamSocket.on('error', () => socket.destroy());
      upstreamSocket.on('close', () => socket.destroy());
      socket.on('close', () => upstreamSocket.destroy());
      if (socket.destroyed) {
        upstreamSocket.destroy();
        return;
      }
      socket.pause();
      socket.off('data', cutEarlySender);
      socket.write(statusLine(response) + headerLines(response.headers));
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.pipe(socket).pipe(upstreamSocket);
    });
    // The region answered without switching protocols (a refusal): passed on as it is.
    upstream.on('response', (response) => {
      clearTimeout(timer);
      socket.write(statusLine(response) + headerLines(response.headers));
      response.pipe(socket);
    });
    upstream.on('error', (error) => refuse(socket, new UpstreamUnavailableError({ cause: error })));
    upstream.end();
  });
}

function refuse(socket: Duplex, error: unknown): void {
  if (socket.destroyed) return;
  const appError = asAppError(error);
  const body = JSON.stringify({ code: appError.code });
  socket.end(`HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? appError.code}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

function statusLine(response: IncomingMessage): string {
  return `HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\n`;
}

function headerLines(headers: IncomingHttpHeaders): string {
  const lines = Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((item) => `${name}: ${item}`) : value === undefined ? [] : [`${name}: ${value}`]));
  return `${lines.join('\r\n')}\r\n\r\n`;
}
