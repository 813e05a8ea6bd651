import type { Db } from './database.ts';

/**
 * Appends to the audit log (the table refuses updates and deletes). With `waitForDisk: false` the
 * row is committed without an fsync of its own and reaches the disk with the next WAL sync (within
 * milliseconds while anyone edits): for rows an attacker can make by the hundred (failed sign-ins),
 * whose fsyncs on the event loop would otherwise hold up every room.
 */
export function audit(db: Db, entry: { userId: number | null; groupId: number | null; action: string; detail?: Record<string, unknown> }, options: { waitForDisk?: boolean } = {}): void {
  if (options.waitForDisk === false) {
    db.prepare('PRAGMA synchronous = NORMAL').run();
    try {
      audit(db, entry);
    } finally {
      db.prepare('PRAGMA synchronous = FULL').run();
    }
    return;
  }
  db.prepare('INSERT INTO audit_log (user_id, group_id, action, detail) VALUES (?, ?, ?, ?)').run(entry.userId, entry.groupId, entry.action, JSON.stringify(entry.detail ?? {}));
}
