import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestKeel, type TestKeel } from '../../../../test/support/keel.ts';
import { redactedUrl } from './create-http-app.ts';

let keel: TestKeel;

beforeAll(async () => {
  keel = await startTestKeel({ CENTRAL_JWKS_URL: '' });
});

afterAll(async () => {
  await keel?.stop();
});

describe('PLT-018 secrets in URLs stay out of the logs', () => {
  it.each([
    '/api/central/invitations/preview?token=',
    '/api/auth/verify-email?callbackURL=%2F&token=',
    '/reset-password?token=',
    '/api/v1/stores?limit=5&key=',
  ])('PLT-018 a request to %s<secret> is logged without the secret', async (path) => {
    const secret = randomBytes(16).toString('hex');
    await fetch(`${keel.url}${path}${secret}`);
    const line = await requestLogLine(path.split('?')[0]!);
    expect(JSON.stringify(keel.logs)).not.toContain(secret);
    expect(line.url).toMatch(/(token|key)=redacted/);
  });

  it('PLT-018 keeps the other parameters as they were', () => {
    expect(redactedUrl('/api/v1/orders?status=PENDING&limit=5&Token=abc')).toBe('/api/v1/orders?status=PENDING&limit=5&Token=redacted');
    expect(redactedUrl('/api/v1/orders')).toBe('/api/v1/orders');
  });
});

/** The request line of the last request to `path`, once the server has written it (after the answer). */
async function requestLogLine(path: string): Promise<{ url: string }> {
  const find = () => keel.logs.findLast((line) => line.msg === 'request' && String(line.url).startsWith(path)) as { url: string } | undefined;
  for (let attempt = 0; find() === undefined && attempt < 100; attempt++) await new Promise((resolve) => setImmediate(resolve));
  return find()!;
}
