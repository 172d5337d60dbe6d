import { z } from 'zod';

/** An upload target (see `UploadTarget`) as routes answer it: where and how the browser sends the file. */
export const uploadTargetSchema = z.object({
  method: z.enum(['POST', 'PUT']),
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.iso.datetime(),
  maxBytes: z.number().int(),
});

/** The local driver's upload route: the signed token is the authority, the bearer token routes it to the region. */
export const signedUploadQuery = z.strictObject({ token: z.string().min(1).max(2_048) });

/** An upload target as a client reads it from an answer (`expiresAt` an ISO string). */
export type UploadTargetDto = z.infer<typeof uploadTargetSchema>;
