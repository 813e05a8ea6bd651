import type { Db } from './database.ts';
import type { Role } from '../../shared/roles.ts';
import { delegationColor } from '../../shared/colors.ts';

export interface WorkingGroup {
  id: number;
  slug: string;
  name: string;
}

export interface Delegation {
  id: number;
  groupId: number;
  name: string;
  color: string;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
}

export interface Membership {
  group: WorkingGroup;
  role: Role;
  delegation: Delegation | null;
}

/** A rule of the accounts store was broken; the message says which and what to do. */
export class AccountError extends Error {}

const SLUG = /^[a-z0-9][a-z0-9-]{1,39}$/i;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/i;

/** Working groups, delegations, users and their roles. */
export class Accounts {
  constructor(private readonly db: Db) {}

  addGroup(slug: string, name: string): WorkingGroup {
    if (!SLUG.test(slug)) throw new AccountError(`group slug "${slug}" must be 2–40 letters, digits or dashes`);
    if (this.group(slug)) throw new AccountError(`working group "${slug}" already exists`);
    const id = Number(this.db.prepare('INSERT INTO working_groups (slug, name) VALUES (?, ?)').run(slug, name).lastInsertRowid);
    return { id, slug, name };
  }

  group(slug: string): WorkingGroup | undefined {
    return this.db.prepare('SELECT id, slug, name FROM working_groups WHERE slug = ? COLLATE NOCASE').get(slug) as WorkingGroup | undefined;
  }

  groupById(id: number): WorkingGroup | undefined {
    return this.db.prepare('SELECT id, slug, name FROM working_groups WHERE id = ?').get(id) as WorkingGroup | undefined;
  }

  groupCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM working_groups').get() as { n: number }).n;
  }

  addDelegation(groupSlug: string, name: string): Delegation {
    const group = this.requireGroup(groupSlug);
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 80) throw new AccountError('a delegation name must be 1–80 characters');
    if (this.delegation(group.id, trimmed)) {
      throw new AccountError(`delegation "${trimmed}" already exists in ${group.slug}`);
    }
    const count = (this.db.prepare('SELECT count(*) AS n FROM delegations WHERE group_id = ?').get(group.id) as { n: number }).n;
    const color = delegationColor(count);
    const id = Number(this.db.prepare('INSERT INTO delegations (group_id, name, color) VALUES (?, ?, ?)').run(group.id, trimmed, color).lastInsertRowid);
    return { id, groupId: group.id, name: trimmed, color };
  }

  delegation(groupId: number, name: string): Delegation | undefined {
    return this.db.prepare('SELECT id, group_id AS groupId, name, color FROM delegations WHERE group_id = ? AND name = ? COLLATE NOCASE').get(groupId, name) as Delegation | undefined;
  }

  delegations(groupId: number): Delegation[] {
    return this.db.prepare('SELECT id, group_id AS groupId, name, color FROM delegations WHERE group_id = ? ORDER BY name').all(groupId) as Delegation[];
  }

  addUser(username: string, displayName: string, passwordHash: string | null): User {
    if (!USERNAME.test(username)) {
      throw new AccountError(`username "${username}" must be 2–40 letters, digits, dots, dashes or underscores`);
    }
    if (this.user(username)) throw new AccountError(`user "${username}" already exists`);
    const id = Number(this.db.prepare('INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?)').run(username, displayName, passwordHash).lastInsertRowid);
    return { id, username, displayName };
  }

  user(username: string): User | undefined {
    return this.db.prepare('SELECT id, username, display_name AS displayName FROM users WHERE username = ? COLLATE NOCASE').get(username) as User | undefined;
  }

  userById(id: number): User | undefined {
    return this.db.prepare('SELECT id, username, display_name AS displayName FROM users WHERE id = ?').get(id) as User | undefined;
  }

  passwordHash(userId: number): string | null {
    const row = this.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(userId) as { password_hash: string | null } | undefined;
    return row?.password_hash ?? null;
  }

  setPasswordHash(userId: number, hash: string): void {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
  }

  /** Gives a user a role in a group (replacing the one they had). Delegates need a delegation. */
  setMembership(userId: number, groupSlug: string, role: Role, delegationName?: string): Membership {
    const group = this.requireGroup(groupSlug);
    let delegation: Delegation | null = null;
    if (delegationName) {
      delegation = this.delegation(group.id, delegationName) ?? null;
      if (!delegation) {
        throw new AccountError(`no delegation "${delegationName}" in ${group.slug}; add it first with: concord delegation add ${group.slug} "${delegationName}"`);
      }
    }
    if (role === 'delegate' && !delegation) {
      throw new AccountError('a delegate acts for a delegation: give one with --delegation "<name>"');
    }
    this.db
      .prepare(`INSERT INTO memberships (user_id, group_id, role, delegation_id) VALUES (?, ?, ?, ?)
        ON CONFLICT (user_id, group_id) DO UPDATE SET role = excluded.role, delegation_id = excluded.delegation_id`)
      .run(userId, group.id, role, delegation?.id ?? null);
    return { group, role, delegation };
  }

  memberships(userId: number): Membership[] {
    const rows = this.db
      .prepare(`SELECT g.id AS gid, g.slug, g.name AS gname, m.role, d.id AS did, d.name AS dname, d.color
        FROM memberships m JOIN working_groups g ON g.id = m.group_id LEFT JOIN delegations d ON d.id = m.delegation_id
        WHERE m.user_id = ? ORDER BY g.slug`)
      .all(userId) as MembershipRow[];
    return rows.map(toMembership);
  }

  membership(userId: number, groupId: number): Membership | undefined {
    const row = this.db
      .prepare(`SELECT g.id AS gid, g.slug, g.name AS gname, m.role, d.id AS did, d.name AS dname, d.color
        FROM memberships m JOIN working_groups g ON g.id = m.group_id LEFT JOIN delegations d ON d.id = m.delegation_id
        WHERE m.user_id = ? AND m.group_id = ?`)
      .get(userId, groupId) as MembershipRow | undefined;
    return row && toMembership(row);
  }

  requireGroup(slug: string): WorkingGroup {
    const group = this.group(slug);
    if (!group) throw new AccountError(`no working group "${slug}"; create it with: concord group add ${slug} --name "<name>"`);
    return group;
  }
}

interface MembershipRow {
  gid: number;
  slug: string;
  gname: string;
  role: Role;
  did: number | null;
  dname: string | null;
  color: string | null;
}

function toMembership(row: MembershipRow): Membership {
  return {
    group: { id: row.gid, slug: row.slug, name: row.gname },
    role: row.role,
    delegation: row.did === null ? null : { id: row.did, groupId: row.gid, name: row.dname!, color: row.color! },
  };
}
