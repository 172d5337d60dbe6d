import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { WebhookSecretUnreadableError } from './errors.ts';

/** A new endpoint secret: `whsec_` and 32 random bytes, shown to the admin once. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export interface SecretBox {
  seal(secret: string, tenantId: string): string;
  open(sealed: string, tenantId: string): string;
}

const VERSION = 'v1';

/**
 * Endpoint secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from WEBHOOK_SECRET_KEY,
 * with the tenant id as associated data, so a sealed secret copied to another tenant's row does
 * not open. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
export function createSecretBox(keyMaterial: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'keel', 'keel webhook endpoint secrets', 32));
  return {
    seal(secret, tenantId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(tenantId));
      const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    open(sealed, tenantId) {
      const [version, iv, tag, ciphertext] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) throw new WebhookSecretUnreadableError();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(tenantId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new WebhookSecretUnreadableError({ cause: error });
      }
    },
  };
}
