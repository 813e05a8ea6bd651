import { randomUUID } from 'node:crypto';
import type { Db } from './database.ts';
import type { DocumentStatus, DocumentType } from '../../shared/documents.ts';

/** The current version of the stored document schema; a change ships with a migration. */
export const DOCUMENT_SCHEMA_VERSION = 1;

export interface DocumentRecord {
  id: string;
  groupId: number;
  symbol: string;
  title: string;
  type: DocumentType;
  status: DocumentStatus;
  schemaVersion: number;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `id, group_id AS groupId, symbol, title, type, status, schema_version AS schemaVersion,
  created_at AS createdAt, updated_at AS updatedAt`;

export class DocumentError extends Error {}

/** The metadata of a working group's documents (the text itself is in the document log). */
export class Documents {
  constructor(private readonly db: Db) {}

  create(input: { groupId: number; symbol: string; title: string; type: DocumentType; createdBy: number | null }): DocumentRecord {
    const existing = this.db
      .prepare('SELECT id FROM documents WHERE group_id = ? AND symbol = ? COLLATE NOCASE')
      .get(input.groupId, input.symbol);
    if (existing) throw new DocumentError(`a document with symbol ${input.symbol} already exists in this group`);
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO documents (id, group_id, symbol, title, type, schema_version, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.groupId, input.symbol, input.title, input.type, DOCUMENT_SCHEMA_VERSION, input.createdBy);
    return this.get(id)!;
  }

  get(id: string): DocumentRecord | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM documents WHERE id = ?`).get(id) as DocumentRecord | undefined;
  }

  list(groupId: number): DocumentRecord[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM documents WHERE group_id = ? ORDER BY symbol`).all(groupId) as DocumentRecord[];
  }

  update(id: string, change: Partial<Pick<DocumentRecord, 'symbol' | 'title' | 'status'>>): DocumentRecord {
    const current = this.get(id);
    if (!current) throw new DocumentError(`no document ${id}`);
    const next = { ...current, ...change };
    if (next.symbol.toLowerCase() !== current.symbol.toLowerCase()) {
      const clash = this.db
        .prepare('SELECT id FROM documents WHERE group_id = ? AND symbol = ? COLLATE NOCASE')
        .get(current.groupId, next.symbol);
      if (clash) throw new DocumentError(`a document with symbol ${next.symbol} already exists in this group`);
    }
    this.db
      .prepare(`UPDATE documents SET symbol = ?, title = ?, status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`)
      .run(next.symbol, next.title, next.status, id);
    return this.get(id)!;
  }

  /** Marks the text as changed now (called when updates are stored, at most once per flush). */
  touch(ids: Iterable<string>): void {
    const stmt = this.db.prepare(`UPDATE documents SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`);
    for (const id of ids) stmt.run(id);
  }
}
