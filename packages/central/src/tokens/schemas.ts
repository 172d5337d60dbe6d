import { z } from 'zod';

/** A member names the tenant; an API key implies it (and may name it, when it is the key's). An API client may send no body at all. */
export const tokenBody = z.strictObject({ tenantId: z.uuid().optional() }).nullish();
export type TokenBody = z.infer<typeof tokenBody>;

export const tokenSchema = z.object({ token: z.string(), expiresAt: z.iso.datetime(), region: z.string() });
export type TokenDto = z.infer<typeof tokenSchema>;
