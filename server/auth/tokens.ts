import type { Db } from '../storage/database.ts';
import { newSecret, secretHash } from './secrets.ts';

/** API tokens for scripts: shown once when created, stored only as a hash. */
export class ApiTokens {
  constructor(private readonly db: Db) {}

  create(userId: number): string {
    const token = newSecret('cct_');
    this.db.prepare('INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)').run(secretHash(token), userId, Date.now());
    return token;
  }

  userId(token: string): number | undefined {
    const hash = secretHash(token);
    const row = this.db.prepare('SELECT user_id FROM api_tokens WHERE token_hash = ?').get(hash) as { user_id: number } | undefined;
    return row?.user_id;
  }
}
