import { z } from 'zod';

/**
 * Human-entered text (names, notes): trimmed, bounded, and free of control characters — PostgreSQL
 * refuses NUL outright, and the others only cause trouble downstream (logs, CSV exports).
 */
export function plainText(bounds: { min: number; max: number }) {
  return z
    .string()
    .trim()
    .min(bounds.min)
    .max(bounds.max)
    .refine((value) => !/\p{Cc}/u.test(value), { message: 'contains a control character', params: { rule: 'control_character' } });
}
