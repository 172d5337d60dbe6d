import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AppError } from '@keel/kernel';
import { WebhookConnectionFailedError, WebhookReceiverRejectedError, WebhookTargetForbiddenError, WebhookTimeoutError } from './errors.ts';
import { checkTargetUrl, guardedLookup, type TargetPolicy } from './target-policy.ts';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export type WebhookAttemptResult =
  | { ok: true; statusCode: number; durationMs: number }
  | { ok: false; statusCode: number | null; durationMs: number; error: AppError };

export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookAttemptResult>;
  /** Closes kept-alive connections. */
  close(): void;
}

/** How much of a receiver's answer is read (then dropped): enough to finish the exchange. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a signed delivery: no redirects followed, `timeoutMs` for the whole exchange, and every
 * connection made through `guardedLookup`, so a non-public address is refused when the socket
 * connects (after DNS, whatever the host resolved to at registration). Connections are kept alive
 * per agent; a reused socket was checked when it connected.
 */
export function createWebhookSender(options: TargetPolicy & { timeoutMs: number }): WebhookSender {
  const lookup = guardedLookup(options);
  const agentOptions = { keepAlive: true, maxSockets: 64, lookup };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };

  function send(request: WebhookRequest): Promise<WebhookAttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(request.url);
    try {
      checkTargetUrl(url, options);
    } catch (error) {
      return Promise.resolve({ ok: false, statusCode: null, durationMs: elapsed(), error: error as AppError });
    }
    const https = url.protocol === 'https:';
    const signal = AbortSignal.timeout(options.timeoutMs);
    return new Promise((resolve) => {
      const fail = (error: AppError, statusCode: number | null = null) => resolve({ ok: false, statusCode, durationMs: elapsed(), error });
      const outgoing = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: https ? agents.https : agents.http,
          signal,
          headers: { ...request.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body), 'user-agent': 'Keel-Webhooks/1' },
        },
        (response) => {
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) response.destroy();
          });
          const settle = () => {
            const statusCode = response.statusCode ?? 0;
            if (statusCode >= 200 && statusCode < 300) resolve({ ok: true, statusCode, durationMs: elapsed() });
            else fail(new WebhookReceiverRejectedError(), statusCode);
          };
          response.on('end', settle);
          response.on('close', settle);
          response.on('error', () => (signal.aborted ? fail(new WebhookTimeoutError()) : settle()));
        },
      );
      outgoing.on('error', (error) => {
        if (error instanceof WebhookTargetForbiddenError) fail(error);
        else if (signal.aborted) fail(new WebhookTimeoutError({ cause: error }));
        else fail(new WebhookConnectionFailedError({ cause: error }));
      });
      outgoing.end(request.body);
    });
  }

  return {
    send,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
