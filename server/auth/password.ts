import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto). The stored form names its parameters so they can be
 * raised later without invalidating old hashes: `scrypt$N$r$p$salt$hash` (base64).
 */
/** OWASP's recommendation for scrypt (Password Storage Cheat Sheet): N=2^17, r=8, p=1 — 128 MiB per hash. */
const DEFAULTS = { N: 131072, r: 8, p: 1, keyLength: 64 } as const;
const MAX_MEMORY = 256 * 1024 * 1024;

/** Computes a scrypt key; the server's runs on its hashing pool (hashing-pool.ts), the CLI's on libuv's. */
export type Derive = (password: string, salt: Uint8Array, keyLength: number, options: ScryptOptions) => Promise<Buffer>;

const libuvDerive: Derive = (password, salt, keyLength, options) =>
  new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));

export async function hashPassword(password: string, derive: Derive = libuvDerive): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password.normalize('NFC'), salt, DEFAULTS.keyLength, { N: DEFAULTS.N, r: DEFAULTS.r, p: DEFAULTS.p, maxmem: MAX_MEMORY });
  return ['scrypt', DEFAULTS.N, DEFAULTS.r, DEFAULTS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password or an unreadable hash. */
export async function verifyPassword(password: string, stored: string, derive: Derive = libuvDerive): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (!N || !r || !p || expected.length === 0) return false;
  const key = await derive(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: MAX_MEMORY });
  return timingSafeEqual(key, expected);
}

/** A password policy the CLI and API share: long enough to resist guessing, nothing more. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'a password must have at least 10 characters';
  if (password.length > 200) return 'a password must have at most 200 characters';
  return null;
}
