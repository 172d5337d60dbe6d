import { and, eq, sql } from 'drizzle-orm';
import { VersionConflictError, type TenantTransaction, type WithTenant } from '@keel/kernel';
import { WebhookEndpointNotFoundError } from './errors.ts';
import { byTenantAndId, findEndpoint, type WebhookEndpointRow } from './queries.ts';
import { webhookEndpoints } from './schema.ts';
import { newWebhookSecret, type SecretBox } from './secret-box.ts';

/** Disable or enable, change the event types or the description; versioned (409 VERSION_CONFLICT). */
export async function changeEndpoint(
  withTenant: WithTenant,
  endpointId: string,
  input: { status?: 'active' | 'disabled' | undefined; eventTypes?: string[] | undefined; description?: string | undefined; version: number },
): Promise<WebhookEndpointRow> {
  const { version, ...changes } = input;
  const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  return withTenant(async (tx, tenantId) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ ...set, version: sql`${webhookEndpoints.version} + 1`, updatedAt: sql`now()` })
      .where(and(byTenantAndId(tenantId, endpointId), eq(webhookEndpoints.version, version)))
      .returning();
    if (!row) throw await versionMiss(tx, tenantId, endpointId);
    return row;
  });
}

/** Deletes the endpoint and its delivery log; jobs still queued for it find nothing and send nothing. */
export async function deleteEndpoint(withTenant: WithTenant, endpointId: string, input: { version: number }): Promise<void> {
  await withTenant(async (tx, tenantId) => {
    const [row] = await tx
      .delete(webhookEndpoints)
      .where(and(byTenantAndId(tenantId, endpointId), eq(webhookEndpoints.version, input.version)))
      .returning({ id: webhookEndpoints.id });
    if (!row) throw await versionMiss(tx, tenantId, endpointId);
  });
}

/**
 * A new secret, shown once; the one it replaces keeps signing too (a second `v1`) for
 * `overlapMs`, so receivers can switch without refusing deliveries (WHK-005).
 */
export async function rotateEndpointSecret(
  withTenant: WithTenant,
  deps: { secretBox: SecretBox; overlapMs: number; now: Date },
  endpointId: string,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const secret = newWebhookSecret();
  const endpoint = await withTenant(async (tx, tenantId) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        secretCiphertext: deps.secretBox.seal(secret, tenantId),
        previousSecretCiphertext: sql`${webhookEndpoints.secretCiphertext}`,
        previousSecretExpiresAt: new Date(deps.now.getTime() + deps.overlapMs),
        version: sql`${webhookEndpoints.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(byTenantAndId(tenantId, endpointId))
      .returning();
    if (!row) throw new WebhookEndpointNotFoundError();
    return row;
  });
  return { endpoint, secret };
}

async function versionMiss(tx: TenantTransaction, tenantId: string, endpointId: string): Promise<Error> {
  return (await findEndpoint(tx, tenantId, endpointId)) ? new VersionConflictError() : new WebhookEndpointNotFoundError();
}
