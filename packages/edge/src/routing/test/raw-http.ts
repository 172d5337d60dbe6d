import { connect, createServer, type AddressInfo, type Socket as TcpSocket } from 'node:net';

/** Raw HTTP over TCP for the edge's routing tests: paths go as written, dot segments included. */

/** A server that accepts connections and never answers: whatever is forwarded to it shows in `connections`. */
export interface SilentRegion {
  url: string;
  connections: TcpSocket[];
  close(): Promise<void>;
}

export async function startSilentRegion(): Promise<SilentRegion> {
  const connections: TcpSocket[] = [];
  const server = createServer((connection) => {
    connection.on('error', () => connection.destroy());
    connection.resume();
    connections.push(connection);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    close: async () => {
      for (const connection of connections) connection.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function upgradeRequest(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: edge\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
}

/** Sends a raw request (paths as written, dot segments included) and reads until the edge closes. */
export async function exchange(url: string, request: string): Promise<{ status: number; body: unknown }> {
  const client = connect(Number(new URL(url).port), '127.0.0.1');
  const chunks: Buffer[] = [];
  client.on('data', (chunk: Buffer) => chunks.push(chunk));
  client.on('error', () => client.destroy());
  client.write(request);
  await closed(client);
  const text = Buffer.concat(chunks).toString();
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), body: body.startsWith('{') ? JSON.parse(body) : body };
}

export async function closed(connection: TcpSocket): Promise<void> {
  if (!connection.closed) await new Promise((resolve) => connection.once('close', resolve));
}
