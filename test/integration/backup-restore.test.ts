import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/processes.ts';

/** The secretariat's backup and restore, through the real CLI on a real data folder. */
describe('concord backup and restore', () => {
  it('restores a backup, keeping the replaced database, and refuses a file that is not a backup', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'concord-restore-'));
    const backup = join(dataDir, 'backup.db');
    try {
      expect(cli(['group', 'add', 'cwg-ai', '--name', 'CWG on AI'], { dataDir }).status).toBe(0);
      expect(cli(['backup', backup], { dataDir }).stdout.trim()).toBe(backup);
      expect(cli(['group', 'add', 'later', '--name', 'Added after the backup'], { dataDir }).status).toBe(0);
      expect(cli(['delegation', 'add', 'later', 'Brazil'], { dataDir }).status).toBe(0);

      const restored = cli(['restore', backup], { dataDir });
      expect(restored.status).toBe(0);
      expect(restored.stderr).toMatch(/replaced database is kept as .*concord\.db\.before-restore-/);
      // the group added after the backup is gone; the earlier one is there
      expect(cli(['delegation', 'add', 'later', 'Kenya'], { dataDir }).stderr).toMatch(/later/);
      expect(cli(['delegation', 'add', 'cwg-ai', 'Kenya'], { dataDir }).status).toBe(0);
      expect(readdirSync(dataDir).some((f) => f.startsWith('concord.db.before-restore-'))).toBe(true);

      const junk = join(dataDir, 'junk.db');
      writeFileSync(junk, 'this is not a database');
      const refused = cli(['restore', junk], { dataDir });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/is not a Concord backup/);
      expect(existsSync(join(dataDir, 'concord.db'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
