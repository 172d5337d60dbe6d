import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';

const REALTIME = /\/realtime\//;

/** Switches a page's (or a whole context's) `/realtime` traffic, WebSocket and long-polling alike. */
export interface RealtimeSwitch {
  /** Closes the open sockets and refuses new attempts, as a lost network would. */
  drop(): Promise<void>;
  /** Lets new attempts through again. */
  restore(): void;
}

/** Passes `/realtime` through until `drop()`; set it up before the page opens. */
export async function realtimeSwitch(target: Page | BrowserContext): Promise<RealtimeSwitch> {
  let online = true;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await target.routeWebSocket(REALTIME, (page) => {
    if (!online) return void page.close({ code: 1001 });
    const link = { page, server: page.connectToServer() };
    open.add(link);
    page.onClose(() => open.delete(link));
  });
  await target.route(REALTIME, (route) => (online ? route.fallback() : route.abort('internetdisconnected')));
  return {
    async drop() {
      online = false;
      for (const link of open) {
        await link.server.close().catch(() => undefined);
        await link.page.close({ code: 1001 }).catch(() => undefined);
      }
      open.clear();
    },
    restore() {
      online = true;
    },
  };
}

/** A page that never gets a live connection: what it shows changes only when it refetches. */
export async function withoutLiveUpdates(page: Page): Promise<void> {
  await (await realtimeSwitch(page)).drop();
}
