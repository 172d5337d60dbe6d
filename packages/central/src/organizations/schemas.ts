import { z } from 'zod';
import { plainText } from '@keel/kernel';
import { tenantRoleSchema } from '../contracts/access-token.ts';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

/**
 * The IANA name the runtime resolves `value` to, when that is a named zone (not an offset such as
 * `+05:30`, which PostgreSQL would read with the opposite sign): regions compute calendar months
 * with PostgreSQL's `at time zone`, which knows every such name.
 */
function canonicalTimeZone(value: string): string | undefined {
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
    return TIME_ZONES.has(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}

export const createOrganizationBody = z.strictObject({
  name: plainText({ min: 1, max: 100 }),
  /** Lower-case letters, digits and inner hyphens. */
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
  /** An ISO 4217 code the runtime knows, upper case. */
  currency: z.string().refine((value) => /^[A-Z]{3}$/.test(value) && CURRENCIES.has(value), { message: 'not an ISO 4217 currency', params: { rule: 'currency' } }),
  /** An IANA time zone the runtime knows, stored by its canonical name (`Asia/Kolkata` → `Asia/Calcutta`). */
  timezone: z.string().max(64).transform((value, context) => {
    const canonical = canonicalTimeZone(value);
    if (canonical === undefined) context.addIssue({ code: 'custom', message: 'not an IANA time zone', params: { rule: 'timezone' } });
    return canonical ?? value;
  }),
});
export type CreateOrganizationBody = z.infer<typeof createOrganizationBody>;

export const organizationIdParams = z.strictObject({ organizationId: z.uuid() });
export const renameOrganizationBody = z.strictObject({ name: createOrganizationBody.shape.name });

export const organizationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  slug: z.string(),
  region: z.string(),
  currency: z.string(),
  timezone: z.string(),
  role: tenantRoleSchema,
  createdAt: z.iso.datetime(),
});
export type OrganizationDto = z.infer<typeof organizationSchema>;

export const organizationList = z.object({ items: z.array(organizationSchema) });
