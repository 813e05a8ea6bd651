import { randomUUID } from 'node:crypto';
import type { Db } from './database.ts';
import type { DocumentStatus, DocumentType } from '../../shared/documents.ts';

/**
 * The current version of the stored document schema (shared/schema). A change of schema ships
 * with a migration of stored Yjs documents (server/storage/document-migrations/). Version 3: the
 * same schema as 2, with texts known to be whole-document valid (every update is checked so).
 */
export const DOCUMENT_SCHEMA_VERSION = 3;

/** What a working group knows about a document besides its text. */
export interface DocumentMetadata {
  symbol: string;
  title: string;
  status: DocumentStatus;
  /** "Rev.1", "Rev.2"; empty for the first issue. */
  revision: string;
  /** Delegations the document comes from ("ACP", "Brazil"). */
  source: string[];
  /** The text it modifies: "Resolution 214 (Rev. Bucharest, 2022)"; empty when none. */
  baseReference: string;
  originalLanguage: string;
  /** The date printed in the header (YYYY-MM-DD); null until set. */
  documentDate: string | null;
  /**
   * An imported proposal's cover block as written (conference, document, addendum, date, source,
   * original, agenda item): printed once in the header of exports, never in the text.
   */
  cover: Record<string, string>;
}

export interface DocumentRecord extends DocumentMetadata {
  id: string;
  groupId: number;
  type: DocumentType;
  schemaVersion: number;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = `id, group_id AS groupId, symbol, title, type, status, schema_version AS schemaVersion,
  revision, source, base_reference AS baseReference, original_language AS originalLanguage,
  document_date AS documentDate, cover, created_at AS createdAt, updated_at AS updatedAt`;

type Row = Omit<DocumentRecord, 'source' | 'cover'> & { source: string; cover: string };
const fromRow = (row: Row | undefined): DocumentRecord | undefined => row && { ...row, source: JSON.parse(row.source) as string[], cover: JSON.parse(row.cover) as Record<string, string> };

export class DocumentError extends Error {}

export interface NewDocument extends Partial<Omit<DocumentMetadata, 'symbol' | 'title'>> {
  groupId: number;
  symbol: string;
  title: string;
  type: DocumentType;
  createdBy: number | null;
}

/** The metadata of a working group's documents (the text itself is in the document log). */
export class Documents {
  constructor(private readonly db: Db) {}

  create(input: NewDocument): DocumentRecord {
    this.#checkSymbolFree(input.groupId, input.symbol);
    const id = randomUUID();
    this.db
      .prepare(`INSERT INTO documents (id, group_id, symbol, title, type, status, schema_version, created_by, revision, source,
          base_reference, original_language, document_date, cover) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        id,
        input.groupId,
        input.symbol,
        input.title,
        input.type,
        input.status ?? 'draft',
        DOCUMENT_SCHEMA_VERSION,
        input.createdBy,
        input.revision ?? '',
        JSON.stringify(input.source ?? []),
        input.baseReference ?? '',
        input.originalLanguage ?? 'English',
        input.documentDate ?? null,
        JSON.stringify(input.cover ?? {}),
      );
    return this.get(id)!;
  }

  get(id: string): DocumentRecord | undefined {
    return fromRow(this.db.prepare(`SELECT ${COLUMNS} FROM documents WHERE id = ?`).get(id) as Row | undefined);
  }

  list(groupId: number): DocumentRecord[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM documents WHERE group_id = ? ORDER BY symbol`).all(groupId) as Row[]).map((r) => fromRow(r)!);
  }

  /** Documents stored under an older schema version, for the start-up migration. */
  outdated(): DocumentRecord[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM documents WHERE schema_version < ?`).all(DOCUMENT_SCHEMA_VERSION) as Row[]).map((r) => fromRow(r)!);
  }

  setSchemaVersion(id: string, version: number): void {
    this.db.prepare('UPDATE documents SET schema_version = ? WHERE id = ?').run(version, id);
  }

  update(id: string, change: Partial<DocumentMetadata>): DocumentRecord {
    const current = this.get(id);
    if (!current) throw new DocumentError(`no document ${id}`);
    const next = { ...current, ...change };
    if (next.symbol.toLowerCase() !== current.symbol.toLowerCase()) this.#checkSymbolFree(current.groupId, next.symbol);
    this.db
      .prepare(`UPDATE documents SET symbol = ?, title = ?, status = ?, revision = ?, source = ?, base_reference = ?,
          original_language = ?, document_date = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`)
      .run(next.symbol, next.title, next.status, next.revision, JSON.stringify(next.source), next.baseReference, next.originalLanguage, next.documentDate, id);
    return this.get(id)!;
  }

  #checkSymbolFree(groupId: number, symbol: string): void {
    const clash = this.db.prepare('SELECT id FROM documents WHERE group_id = ? AND symbol = ? COLLATE NOCASE').get(groupId, symbol);
    if (clash) throw new DocumentError(`a document with symbol ${symbol} already exists in this group; choose another symbol (e.g. ${symbol}(Rev.1))`);
  }
}
