import type { Db } from '../storage/database.ts';
import { newSecret, secretHash } from './secrets.ts';

/** Name of the HttpOnly cookie holding the session secret. */
export const SESSION_COOKIE = 'concord_session';

/**
 * Browser sessions: a random secret in an HttpOnly SameSite cookie, its hash in SQLite. Sessions
 * expire after `ttlMs` and are extended on use once more than half of that has passed.
 */
export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(userId: number): { secret: string; expiresAt: number } {
    const secret = newSecret();
    const createdAt = this.now();
    const expiresAt = createdAt + this.ttlMs;
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(secretHash(secret), userId, createdAt, expiresAt);
    return { secret, expiresAt };
  }

  /** The user of a live session, or undefined for an unknown or expired secret. */
  userId(secret: string): number | undefined {
    const hash = secretHash(secret);
    const row = this.db.prepare('SELECT user_id, expires_at FROM sessions WHERE token_hash = ?').get(hash) as { user_id: number; expires_at: number } | undefined;
    if (!row) return undefined;
    const now = this.now();
    if (row.expires_at <= now) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hash);
      return undefined;
    }
    if (row.expires_at - now < this.ttlMs / 2) {
      this.db.prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(now + this.ttlMs, hash);
    }
    return row.user_id;
  }

  destroy(secret: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(secretHash(secret));
  }

  /** Removes expired sessions; run at start-up and from time to time. */
  /** Ends every session of a user; returns how many. */
  destroyAll(userId: number): number {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  sweep(): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(this.now()).changes;
  }
}
