import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { normaliseText } from '../../shared/import/index.ts';
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
    for (const command of [['group', 'add'], ['delegation', 'add'], ['user', 'add'], ['token'], ['documents'], ['import'], ['export'], ['backup']]) {
      const help = cli([...command, '--help'], { dataDir });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`concord ${command.join(' ')}`);
    }
    expect(cli(['--help'], { dataDir }).stdout).toContain('concord user add <username>');
  });

  it('imports a fixture, printing the new id, and exports it back as text', () => {
    const source = resolve(import.meta.dirname, '../fixtures/draft-new-resolution-ai.txt');
    const imported = cli(['import', 'cwg-ai', source, '--symbol', 'CWG-AI/2'], { dataDir });
    expect(imported).toMatchObject({ status: 0, stderr: '' });
    const id = imported.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(cli(['documents', 'cwg-ai'], { dataDir }).stdout).toBe(`${id}\tCWG-AI/2\tArtificial Intelligence (AI) technologies and telecommunications/ICTs\tdraft\n`);
    const exported = cli(['export', id, '--format', 'txt'], { dataDir });
    expect(exported.status).toBe(0);
    // the clean text for Council: the source without its proposal line ("MOD AD HOC WGPL/47/1")
    const [proposalLine, ...text] = normaliseText(readFileSync(source, 'utf8'));
    expect(proposalLine).toBe('MOD AD HOC WGPL/47/1');
    expect(normaliseText(exported.stdout)).toEqual(text);
    const file = join(dataDir, 'out.txt');
    expect(cli(['export', id, '--format', 'txt', '-o', file], { dataDir }).stdout).toBe(`${file}\n`);
    expect(readFileSync(file, 'utf8')).toBe(exported.stdout);
  });

  it('reports lines an import could not place, and refuses what it cannot do', () => {
    const messy = join(dataDir, 'messy.txt');
    writeFileSync(messy, 'Draft New Resolution\nOn things\nrecalling\na)\tone\nc)\tthree\n');
    const imported = cli(['import', 'cwg-ai', messy, '--symbol', 'CWG-AI/5'], { dataDir });
    expect(imported.status).toBe(0);
    expect(imported.stderr).toMatch(/messy\.txt:5: provision labelled c\) is number 2/);
    expect(cli(['import', 'cwg-ai', join(dataDir, 'missing.txt'), '--symbol', 'CWG-AI/6'], { dataDir }).stderr).toMatch(/cannot read .*ENOENT/);
    expect(cli(['import', 'cwg-ai', messy], { dataDir }).stderr).toMatch(/give the document symbol/);
    expect(cli(['export', 'no-such-id', '--format', 'txt'], { dataDir }).stderr).toMatch(/no document no-such-id/);
    expect(cli(['export', imported.stdout.trim(), '--format', 'pdf'], { dataDir }).stderr).toMatch(/--format pdf is not available/);
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
