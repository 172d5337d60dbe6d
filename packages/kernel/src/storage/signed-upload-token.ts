import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock/clock.ts';
import { UploadUrlExpiredError, UploadUrlInvalidError } from './errors.ts';

/** What a local upload URL allows: one key, one content type, at most `maxBytes`, until `expiresAt`. */
export interface UploadGrant {
  key: string;
  contentType: string;
  maxBytes: number;
  expiresAt: number;
}

/** `<payload>.<HMAC-SHA256 of payload>`, both base64url; any change to the payload breaks the signature. */
export function signUploadGrant(grant: UploadGrant, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ k: grant.key, t: grant.contentType, m: grant.maxBytes, e: grant.expiresAt })).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

export function verifyUploadGrant(token: string, secret: string, clock: Clock): UploadGrant {
  const [payload, signature, ...rest] = token.split('.');
  if (payload === undefined || signature === undefined || rest.length > 0) throw new UploadUrlInvalidError();
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UploadUrlInvalidError();
  const { k, t, m, e } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { k: string; t: string; m: number; e: number };
  if (clock.now().getTime() >= e) throw new UploadUrlExpiredError();
  return { key: k, contentType: t, maxBytes: m, expiresAt: e };
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
