import type { Db } from '../storage/database.ts';

export interface VersionSummary {
  id: number;
  name: string;
  kind: 'named' | 'autosave';
  by: string;
  at: string;
}

export interface Version extends VersionSummary {
  documentId: string;
  state: Uint8Array;
  /** The text as ProseMirror JSON. */
  text: unknown;
}

interface Row {
  id: number;
  document_id: string;
  name: string;
  kind: 'named' | 'autosave';
  state: Buffer;
  text: string;
  by_name: string | null;
  created_at: string;
}

/** How many autosave points a document keeps (the oldest go; named versions always stay). */
export const AUTOSAVES_KEPT = 100;

/** Versions of documents in SQLite: named ones (Rev.1, Chair's text) and autosave points. */
export class VersionStore {
  constructor(private readonly db: Db) {}

  add(input: { documentId: string; name: string; kind: 'named' | 'autosave'; state: Uint8Array; text: unknown; userId: number | null }): VersionSummary {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO versions (document_id, name, kind, state, text, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(input.documentId, input.name, input.kind, input.state, JSON.stringify(input.text), input.userId);
    if (input.kind === 'autosave') {
      this.db
        .prepare(`DELETE FROM versions WHERE document_id = ? AND kind = 'autosave' AND id NOT IN
        (SELECT id FROM versions WHERE document_id = ? AND kind = 'autosave' ORDER BY id DESC LIMIT ?)`)
        .run(input.documentId, input.documentId, AUTOSAVES_KEPT);
    }
    return this.list(input.documentId).find((v) => v.id === Number(lastInsertRowid))!;
  }

  list(documentId: string): VersionSummary[] {
    return (
      this.db
        .prepare(`SELECT v.id, v.name, v.kind, v.created_at, u.display_name AS by_name FROM versions v LEFT JOIN users u ON u.id = v.created_by
      WHERE v.document_id = ? ORDER BY v.id DESC`)
        .all(documentId) as Row[]
    ).map((row) => ({
      id: row.id,
      name: row.name,
      kind: row.kind,
      by: row.by_name ?? (row.kind === 'autosave' ? 'Concord (autosave)' : 'a former member'),
      at: row.created_at,
    }));
  }

  get(documentId: string, id: number): Version | null {
    const row = this.db.prepare(`SELECT v.*, u.display_name AS by_name FROM versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.document_id = ? AND v.id = ?`).get(documentId, id) as
      | Row
      | undefined;
    if (!row) return null;
    return {
      id: row.id,
      documentId: row.document_id,
      name: row.name,
      kind: row.kind,
      at: row.created_at,
      by: row.by_name ?? (row.kind === 'autosave' ? 'Concord (autosave)' : 'a former member'),
      state: new Uint8Array(row.state),
      text: JSON.parse(row.text) as unknown,
    };
  }

  /** When the newest version of a document was taken (any kind), or null. */
  latest(documentId: string): { id: number; at: string } | null {
    return (this.db.prepare('SELECT id, created_at AS at FROM versions WHERE document_id = ? ORDER BY id DESC LIMIT 1').get(documentId) as { id: number; at: string } | undefined) ?? null;
  }
}
