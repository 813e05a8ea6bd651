import { createHash, randomBytes } from 'node:crypto';

/** A new random secret for a session cookie or an API token (256 bits, URL-safe). */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** What is stored of a secret: its SHA-256, so a stolen database yields no usable token. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
