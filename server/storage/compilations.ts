import type { Db } from './database.ts';
import type { CompilationTable } from '../../shared/compile/compile.ts';

/** What a compiled negotiation text came from: its base, its sources, and the table compiled with it. */
export interface CompilationRecord {
  documentId: string;
  baseDocumentId: string;
  sources: { documentId: string; delegation: string }[];
  table: CompilationTable;
  createdBy: number | null;
  createdAt: string;
}

/** The compilations of a working group's documents (the compiled text itself is an ordinary document). */
export class Compilations {
  constructor(private readonly db: Db) {}

  add(record: Omit<CompilationRecord, 'createdAt'>): void {
    this.db
      .prepare('INSERT INTO compilations (document_id, base_document_id, sources, table_json, created_by) VALUES (?, ?, ?, ?, ?)')
      .run(record.documentId, record.baseDocumentId, JSON.stringify(record.sources), JSON.stringify(record.table), record.createdBy);
  }

  get(documentId: string): CompilationRecord | undefined {
    const row = this.db
      .prepare(
        'SELECT document_id AS documentId, base_document_id AS baseDocumentId, sources, table_json AS tableJson, created_by AS createdBy, created_at AS createdAt FROM compilations WHERE document_id = ?',
      )
      .get(documentId) as { documentId: string; baseDocumentId: string; sources: string; tableJson: string; createdBy: number | null; createdAt: string } | undefined;
    if (!row) return undefined;
    return { documentId: row.documentId, baseDocumentId: row.baseDocumentId, sources: JSON.parse(row.sources), table: JSON.parse(row.tableJson), createdBy: row.createdBy, createdAt: row.createdAt };
  }
}
