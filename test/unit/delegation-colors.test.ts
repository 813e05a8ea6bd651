import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DELEGATION_PALETTE, DELEGATION_PATTERNS, OFFICER_COLOR, delegationColor, delegationPatterns, delegationStyle } from '../../shared/colors.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { MIGRATIONS_DIR, migrate, readMigrations } from '../../server/storage/migrations.ts';
import { Accounts } from '../../server/storage/accounts.ts';

/** WCAG contrast of a colour against white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

describe('delegation colours', () => {
  it('gives 40 delegations 40 different colour-and-pattern pairs (48 before any repeats)', () => {
    const styles = Array.from({ length: 48 }, (_, i) => delegationStyle(i));
    expect(new Set(styles.slice(0, 40).map((s) => `${s.color}/${s.pattern}`)).size).toBe(40);
    expect(new Set(styles.map((s) => `${s.color}/${s.pattern}`)).size).toBe(48);
    // the first twelve differ in colour alone, then the pattern changes
    expect(new Set(styles.slice(0, 12).map((s) => s.color)).size).toBe(12);
    expect(styles.slice(0, 12).every((s) => s.pattern === 'solid')).toBe(true);
    expect(styles[12]).toEqual({ color: DELEGATION_PALETTE[0], pattern: 'stripes' });
    expect(styles[47]!.pattern).toBe(DELEGATION_PATTERNS[3]);
  });

  it('uses only colours readable as text on white (WCAG AA, 4.5:1), none of them the officers’ grey', () => {
    for (const color of DELEGATION_PALETTE) {
      expect(color).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrastOnWhite(color), color).toBeGreaterThanOrEqual(4.5);
      expect(color).not.toBe(OFFICER_COLOR);
    }
    expect(new Set(DELEGATION_PALETTE).size).toBe(DELEGATION_PALETTE.length);
  });

  it('ranks delegations by the order they were added, not by name', () => {
    const delegations = Array.from({ length: 30 }, (_, i) => ({ id: 100 + i, name: `D${String(29 - i).padStart(2, '0')}` }));
    const patterns = delegationPatterns([...delegations].reverse());
    expect(patterns.get('D29')).toBe('solid'); // id 100, the first added
    expect(patterns.get('D17')).toBe('stripes'); // id 112, the 13th
    expect(patterns.get('D05')).toBe('dots'); // id 124, the 25th
  });

  it('colours new delegations in order, and the migration recolours old ones the same way', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'concord-colors-')), 'test.db'));
    const before = readMigrations().filter((m) => m.version < 6);
    migrate(db, before);
    const accounts = new Accounts(db);
    accounts.addGroup('ga', 'Group A');
    accounts.addGroup('gb', 'Group B');
    for (let i = 0; i < 14; i++) db.prepare("INSERT INTO delegations (group_id, name, color) VALUES ((SELECT id FROM working_groups WHERE slug = 'ga'), ?, '#bcbd22')").run(`A${i}`);
    db.prepare("INSERT INTO delegations (group_id, name, color) VALUES ((SELECT id FROM working_groups WHERE slug = 'gb'), 'B0', '#17becf')").run();
    migrate(db);
    const rows = db.prepare('SELECT d.name, d.color FROM delegations d ORDER BY d.id').all() as { name: string; color: string }[];
    expect(rows.filter((r) => r.name.startsWith('A')).map((r) => r.color)).toEqual(Array.from({ length: 14 }, (_, i) => delegationColor(i)));
    expect(rows.find((r) => r.name === 'B0')!.color).toBe(delegationColor(0));
    expect(accounts.addDelegation('ga', 'A14').color).toBe(delegationColor(14));
    // the SQL lists the palette in the same order as shared/colors.ts
    const sql = readFileSync(join(MIGRATIONS_DIR, '0006_delegation_palette.sql'), 'utf8');
    expect(sql.match(/#[0-9a-f]{6}/g)).toEqual([...DELEGATION_PALETTE]);
  });
});
