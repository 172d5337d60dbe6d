import { startTestKeel, type TestKeel } from '../../test/support/keel.ts';
import { ensureWebAppBuilt } from './web-app-build.ts';

/** The password of every demo account (specs/platform.md PLT-016). */
export const DEMO_PASSWORD = 'keel-demo-password';

/**
 * Keel as `npm start` runs it — all layers in one process, the edge serving the built web app —
 * on this file's own databases, with central's real signing keys and (unless `env` turns the seed
 * off) the demo organizations (Acme Retail, Globex). Tests that change data create their own
 * organization.
 */
export async function startBrowserKeel(env: Record<string, string> = {}): Promise<TestKeel> {
  await ensureWebAppBuilt();
  return startTestKeel({ CENTRAL_JWKS_URL: '', KEEL_SEED: 'true', ...env });
}
