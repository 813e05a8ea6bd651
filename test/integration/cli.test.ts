import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cli } from '../support/processes.ts';

describe('admin CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-cli-'));

  it('sets up a working group, a delegation and a delegate, printing only what scripts need', () => {
    const group = cli(['group', 'add', 'cwg-ai', '--name', 'Council Working Group on AI'], { dataDir });
    expect(group).toMatchObject({ status: 0, stdout: 'cwg-ai\n', stderr: '' });
    const delegation = cli(['delegation', 'add', 'cwg-ai', 'Brazil'], { dataDir });
    expect(delegation.status).toBe(0);
    expect(delegation.stdout).toMatch(/^Brazil\t#[0-9a-f]{6}\n$/);
    const user = cli(['user', 'add', 'ana', '--group', 'cwg-ai', '--role', 'delegate', '--delegation', 'Brazil'], { dataDir, input: 'a long enough password\n' });
    expect(user).toMatchObject({ status: 0, stdout: 'ana\n' });
    const token = cli(['token', 'ana'], { dataDir });
    expect(token.status).toBe(0);
    expect(token.stdout).toMatch(/^cct_[\w-]{40,}\n$/);
    const documents = cli(['documents', 'cwg-ai'], { dataDir });
    expect(documents).toMatchObject({ status: 0, stdout: '' });
  });

  it('fails with one clear line and a non-zero code', () => {
    const noGroup = cli(['documents', 'no-such-group'], { dataDir });
    expect(noGroup.status).not.toBe(0);
    expect(noGroup.stdout).toBe('');
    expect(noGroup.stderr.trim().split('\n')).toHaveLength(1);
    expect(noGroup.stderr).toMatch(/no working group "no-such-group"; create it with: concord group add/);

    const noDelegation = cli(['user', 'add', 'bob', '--group', 'cwg-ai', '--role', 'delegate'], { dataDir, input: 'a long enough password\n' });
    expect(noDelegation.status).not.toBe(0);
    expect(noDelegation.stderr).toMatch(/--delegation/);

    const weak = cli(['user', 'add', 'carl', '--group', 'cwg-ai', '--role', 'observer'], { dataDir, input: 'short\n' });
    expect(weak.status).not.toBe(0);
    expect(weak.stderr).toMatch(/at least 10 characters/);

    const badRole = cli(['user', 'add', 'dan', '--group', 'cwg-ai', '--role', 'president'], { dataDir });
    expect(badRole.stderr).toMatch(/--role must be one of chair, secretariat, delegate, observer/);

    const unknown = cli(['frobnicate'], { dataDir });
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command/);
  });

  it('explains each command with --help', () => {
    for (const command of [['group', 'add'], ['delegation', 'add'], ['user', 'add'], ['token'], ['documents'], ['backup']]) {
      const help = cli([...command, '--help'], { dataDir });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`concord ${command.join(' ')}`);
    }
    expect(cli(['--help'], { dataDir }).stdout).toContain('concord user add <username>');
  });

  it('writes a backup that opens as a database with the same accounts', () => {
    const file = join(dataDir, 'backup.db');
    const backup = cli(['backup', file], { dataDir });
    expect(backup).toMatchObject({ status: 0, stdout: `${file}\n` });
    const copy = new Database(file, { readonly: true });
    expect(copy.prepare('SELECT username FROM users').all()).toEqual([{ username: 'ana' }]);
    copy.close();
  });
});
