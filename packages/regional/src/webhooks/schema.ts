import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const webhookEndpointStatuses = ['active', 'disabled'] as const;
export type WebhookEndpointStatus = (typeof webhookEndpointStatuses)[number];

/**
 * An admin's HTTPS endpoint and the event types it receives. Its signing secret is stored
 * encrypted (AES-256-GCM under WEBHOOK_SECRET_KEY, see secret-box.ts): Keel must be able to sign
 * with it, so it cannot be hashed; a database dump alone does not reveal it. After a rotation the
 * previous secret signs too, until `previous_secret_expires_at`.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    eventTypes: text('event_types').array().notNull(),
    status: text('status', { enum: webhookEndpointStatuses }).notNull().default('active'),
    secretCiphertext: text('secret_ciphertext').notNull(),
    previousSecretCiphertext: text('previous_secret_ciphertext'),
    previousSecretExpiresAt: timestamptz('previous_secret_expires_at'),
    version: integer('version').notNull().default(1),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    check('webhook_endpoints_status_check', sql`${table.status} in ('active', 'disabled')`),
  ],
);

export const webhookAttemptOutcomes = ['delivered', 'failed'] as const;
export type WebhookAttemptOutcome = (typeof webhookAttemptOutcomes)[number];

/** The delivery log: one row per attempt, failed ones included (written in a transaction of their own). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().default(sql`uuidv7()`),
    endpointId: uuid('endpoint_id').notNull(),
    /** The event id the receiver sees (`keel-webhook-id`): the same on every attempt and replay. */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    attempt: integer('attempt').notNull(),
    outcome: text('outcome', { enum: webhookAttemptOutcomes }).notNull(),
    /** The receiver's HTTP status; null when no answer came (refused target, timeout, connection error). */
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    errorCode: text('error_code'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('webhook_deliveries_tenant_id_endpoint_id_id_idx').on(table.tenantId, table.endpointId, table.id),
    foreignKey({ columns: [table.tenantId, table.endpointId], foreignColumns: [webhookEndpoints.tenantId, webhookEndpoints.id], name: 'webhook_deliveries_endpoint_fk' }).onDelete('cascade'),
    check('webhook_deliveries_outcome_check', sql`${table.outcome} in ('delivered', 'failed')`),
  ],
);
