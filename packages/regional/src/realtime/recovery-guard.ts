import type { Namespace } from 'socket.io';

/** Who a socket is: its token's tenant and subject. */
export interface SocketIdentity {
  tenantId: string;
  subject: string;
}

/** What socket.io 4.8 does inside a namespace to restore a session (not part of its typed API). */
interface RecoveringNamespace {
  _createSocket(client: unknown, auth: Record<string, unknown>): Promise<unknown>;
  adapter: { restoreSession(pid: string, offset: string): Promise<{ data?: unknown } | null> };
}

/**
 * Socket.IO restores a recovered session — its rooms, its `data`, and the packets it missed, written
 * to the client at once — before any middleware runs. So a session is restored here only for a
 * handshake whose token passes authentication now (`identify`) and names the session's own tenant and
 * subject; any other handshake starts a new session, which the middleware then accepts or refuses as
 * usual. Without this, a `pid` and a token of another tenant (or a revoked one) would get the old
 * session's rooms, or at least its missed events (RT-002).
 */
export function guardSessionRecovery(namespace: Namespace, identify: (auth: Record<string, unknown>) => Promise<SocketIdentity | undefined>): void {
  const internals = namespace as unknown as RecoveringNamespace;
  const vetted = new Map<string, SocketIdentity>();
  const createSocket = internals._createSocket.bind(namespace);
  internals._createSocket = async (client, auth) => {
    const pid = auth.pid;
    if (typeof pid !== 'string') return createSocket(client, auth);
    const identity = await identify(auth);
    if (identity === undefined) return createSocket(client, { ...auth, pid: undefined });
    vetted.set(pid, identity);
    try {
      return await createSocket(client, auth);
    } finally {
      vetted.delete(pid);
    }
  };
  const adapter = internals.adapter;
  const restoreSession = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const identity = vetted.get(pid);
    if (identity === undefined) return null;
    const session = await restoreSession(pid, offset);
    return session !== null && isIdentity(session.data, identity) ? session : null;
  };
}

function isIdentity(data: unknown, identity: SocketIdentity): boolean {
  return typeof data === 'object' && data !== null && 'tenantId' in data && 'subject' in data && data.tenantId === identity.tenantId && data.subject === identity.subject;
}
