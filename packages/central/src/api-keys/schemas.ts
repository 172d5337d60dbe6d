import { z } from 'zod';
import { plainText } from '@keel/kernel';

/** A key acts as a `member` or an `admin`, never as an owner. */
export const apiKeyRoleSchema = z.enum(['member', 'admin']);
export type ApiKeyRole = z.infer<typeof apiKeyRoleSchema>;

export const organizationParams = z.strictObject({ organizationId: z.uuid() });
export const apiKeyParams = z.strictObject({ organizationId: z.uuid(), apiKeyId: z.uuid() });

export const createApiKeyBody = z.strictObject({
  name: plainText({ min: 1, max: 100 }),
  role: apiKeyRoleSchema.default('member'),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBody>;

/** The answer to creating a key: the only time `key` is shown. */
export const createdApiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: apiKeyRoleSchema,
  prefix: z.string(),
  key: z.string(),
  createdAt: z.iso.datetime(),
});
export type CreatedApiKeyDto = z.infer<typeof createdApiKeySchema>;

/** A key as listed: never the key nor its hash. */
export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: apiKeyRoleSchema,
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  /** The user who created it; null once that account is deleted. */
  createdBy: z.uuid().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKeyDto = z.infer<typeof apiKeySchema>;

export const apiKeyList = z.object({ items: z.array(apiKeySchema) });
