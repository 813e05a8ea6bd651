import type { Db } from './database.ts';

/** Appends to the audit log (the table refuses updates and deletes). */
export function audit(
  db: Db,
  entry: { userId: number | null; groupId: number | null; action: string; detail?: Record<string, unknown> },
): void {
  db.prepare('INSERT INTO audit_log (user_id, group_id, action, detail) VALUES (?, ?, ?, ?)').run(
    entry.userId,
    entry.groupId,
    entry.action,
    JSON.stringify(entry.detail ?? {}),
  );
}
