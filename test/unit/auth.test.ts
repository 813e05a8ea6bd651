import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, passwordProblem, verifyPassword } from '../../server/auth/password.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import { ApiTokens } from '../../server/auth/tokens.ts';
import { secretHash } from '../../server/auth/secrets.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate } from '../../server/storage/migrations.ts';
import { Accounts } from '../../server/storage/accounts.ts';

function setup() {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'concord-auth-')), 'auth.db'));
  migrate(db);
  const user = new Accounts(db).addUser('ana', 'Ana', null);
  return { db, user };
}

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('negotiate in good faith');
    expect(hash.startsWith('scrypt$131072$8$1$')).toBe(true); // OWASP's scrypt parameters
    expect(hash).not.toContain('negotiate');
    expect(await verifyPassword('negotiate in good faith', hash)).toBe(true);
    expect(await verifyPassword('negotiate in bad faith', hash)).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('treats an unreadable stored hash as a mismatch', async () => {
    expect(await verifyPassword('anything', 'md5$abc')).toBe(false);
    expect(await verifyPassword('anything', '')).toBe(false);
  });

  it('normalizes Unicode so the same password typed differently matches', async () => {
    const hash = await hashPassword('Genève délégation');
    expect(await verifyPassword('Gene\u0300ve de\u0301le\u0301gation'.normalize('NFD'), hash)).toBe(true);
  });

  it('asks for at least 10 characters', () => {
    expect(passwordProblem('short')).toMatch(/at least 10/);
    expect(passwordProblem('long enough pass')).toBeNull();
  });
});

describe('sessions', () => {
  it('finds the user of a live session and stores only a hash of its secret', () => {
    const { db, user } = setup();
    const sessions = new Sessions(db, 60_000);
    const { secret } = sessions.create(user.id);
    expect(sessions.userId(secret)).toBe(user.id);
    const stored = db.prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    expect(stored).toEqual([{ token_hash: secretHash(secret) }]);
  });

  it('forgets an expired session and extends a used one', () => {
    const { db, user } = setup();
    let now = 1_000_000;
    const sessions = new Sessions(db, 60_000, () => now);
    const { secret } = sessions.create(user.id);
    now += 40_000; // past half of the lifetime: used → extended to now + 60 s
    expect(sessions.userId(secret)).toBe(user.id);
    now += 50_000; // 90 s after creation, 50 s after extension
    expect(sessions.userId(secret)).toBe(user.id);
    now += 61_000;
    expect(sessions.userId(secret)).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('ends a session on logout and refuses an unknown secret', () => {
    const { db, user } = setup();
    const sessions = new Sessions(db, 60_000);
    const { secret } = sessions.create(user.id);
    sessions.destroy(secret);
    expect(sessions.userId(secret)).toBeUndefined();
    expect(sessions.userId('forged')).toBeUndefined();
  });

  it('sweeps expired sessions', () => {
    const { db, user } = setup();
    let now = 0;
    const sessions = new Sessions(db, 1000, () => now);
    sessions.create(user.id);
    sessions.create(user.id);
    now = 5000;
    expect(sessions.sweep()).toBe(2);
  });
});

describe('API tokens', () => {
  it('identifies the user of a token shown once', () => {
    const { db, user } = setup();
    const tokens = new ApiTokens(db);
    const token = tokens.create(user.id);
    expect(token.startsWith('cct_')).toBe(true);
    expect(tokens.userId(token)).toBe(user.id);
    expect(tokens.userId(`${token}x`)).toBeUndefined();
    expect(JSON.stringify(db.prepare('SELECT * FROM api_tokens').all())).not.toContain(token);
  });
});
