import type { z } from 'zod';
import type { OutgoingEvent, TenantTransaction } from '@keel/kernel';
import type { ImportKind } from './schema.ts';

export interface ImportRow {
  row: number;
  /** Cells by column name (the header's, trimmed and lower-cased). */
  values: Record<string, string>;
}

export interface Rejection {
  row: number;
  code: string;
  field: string | null;
}

export interface ImportRowsContext {
  /** Who asked for the import (the token's subject): the creator of what it makes. */
  subject: string;
  /** The region clock's now (the month of plan limits). */
  now: Date;
}

/** What one kind of CSV holds and how a batch of its rows is written, inside the batch's transaction. */
export interface ImportKindDefinition {
  kind: ImportKind;
  required: readonly string[];
  optional: readonly string[];
  /** `events`: what the written rows announce, appended after the import's own events (see the worker). */
  importRows(tx: TenantTransaction, tenantId: string, rows: readonly ImportRow[], context: ImportRowsContext): Promise<{ imported: number; rejections: Rejection[]; events?: OutgoingEvent[] }>;
}

/** A row refused by a zod schema: VALIDATION_FAILED, naming the CSV column of the first issue. */
export function validationRejection(row: number, error: z.ZodError, columnOf: (path: PropertyKey[]) => string | undefined): Rejection {
  return { row, code: 'VALIDATION_FAILED', field: columnOf(error.issues[0]?.path ?? []) ?? null };
}

/** `12`, `0` → numbers; anything else (blank, `1.5`, `12abc`) → NaN, which the schema refuses. */
export function integerCell(value: string | undefined): number {
  return value !== undefined && /^-?\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}
