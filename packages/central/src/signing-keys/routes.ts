import { z } from 'zod';
import type { HttpApp } from '@keel/kernel';
import type { SigningKeyStore } from './signing-key-store.ts';

const jwksSchema = z.object({ keys: z.array(z.looseObject({ kid: z.string(), kty: z.string() })) });

export function signingKeyRoutes(app: HttpApp, deps: { signingKeys: SigningKeyStore }): void {
  app.get('/jwks.json', { schema: { tags: ['tokens'], response: { 200: jwksSchema } } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return deps.signingKeys.publicKeySet();
  });
}
