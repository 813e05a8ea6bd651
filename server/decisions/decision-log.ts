import type { Db } from '../storage/database.ts';
import type { Unit } from '../../shared/brackets/undo.ts';
import type { DecisionEntry } from '../../shared/api.ts';

/** One bracket as the decision log remembers it. */
export interface DecidedBracket {
  id: string;
  delegation: string;
  kind: string;
  text: string;
  provisionLabel: string | null;
  section: string | null;
}

export interface DecisionRecord {
  id: number;
  documentId: string;
  userId: number | null;
  /** Who decided, as shown: the chair's name. */
  by: string;
  at: string;
  action: 'accept' | 'reject' | 'choose' | 'status' | 'undo';
  request: unknown;
  summary: string;
  brackets: DecidedBracket[];
  units: Unit[];
  textBefore: string;
  textAfter: string;
  provisionId: string | null;
  undoes: number | null;
  undoneBy: number | null;
}

export type NewDecision = Omit<DecisionRecord, 'id' | 'at' | 'by' | 'undoneBy'>;

interface Row {
  id: number;
  document_id: string;
  user_id: number | null;
  display_name: string | null;
  at: string;
  action: DecisionRecord['action'];
  request: string;
  summary: string;
  brackets: string;
  units: string;
  text_before: string;
  text_after: string;
  provision_id: string | null;
  undoes: number | null;
  undone_by: number | null;
}

const SELECT = `SELECT d.*, u.display_name FROM decisions d LEFT JOIN users u ON u.id = d.user_id`;

function fromRow(row: Row): DecisionRecord {
  return {
    id: row.id,
    documentId: row.document_id,
    userId: row.user_id,
    by: row.display_name ?? 'a former member',
    at: row.at,
    action: row.action,
    request: JSON.parse(row.request) as unknown,
    summary: row.summary,
    brackets: JSON.parse(row.brackets) as DecidedBracket[],
    units: JSON.parse(row.units) as Unit[],
    textBefore: row.text_before,
    textAfter: row.text_after,
    provisionId: row.provision_id,
    undoes: row.undoes,
    undoneBy: row.undone_by,
  };
}

/** The append-only log of the chair's decisions per document (only `undone_by` is ever set later). */
export class DecisionLog {
  constructor(private readonly db: Db) {}

  add(decision: NewDecision): DecisionRecord {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO decisions (document_id, user_id, action, request, summary, brackets, units, text_before, text_after, provision_id, undoes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        decision.documentId,
        decision.userId,
        decision.action,
        JSON.stringify(decision.request),
        decision.summary,
        JSON.stringify(decision.brackets),
        JSON.stringify(decision.units),
        decision.textBefore,
        decision.textAfter,
        decision.provisionId,
        decision.undoes,
      );
    if (decision.undoes !== null) this.db.prepare('UPDATE decisions SET undone_by = ? WHERE id = ?').run(Number(lastInsertRowid), decision.undoes);
    return this.get(Number(lastInsertRowid))!;
  }

  get(id: number): DecisionRecord | null {
    const row = this.db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  forDocument(documentId: string): DecisionRecord[] {
    return (this.db.prepare(`${SELECT} WHERE d.document_id = ? ORDER BY d.id DESC`).all(documentId) as Row[]).map(fromRow);
  }
}

/** What the API (and the document's live stream) shows of a logged decision: not its undo units. */
export function decisionEntry(record: DecisionRecord): DecisionEntry {
  const { id, action, summary, by, at, brackets, textBefore, textAfter, provisionId, undoes, undoneBy } = record;
  return { id, action, summary, by, at, brackets, textBefore, textAfter, provisionId, undoes, undoneBy };
}

/** The decisions on a document taken between two moments (either order), oldest first, as a comparison lists them. */
export function decisionsBetween(stores: { decisions: DecisionLog }, documentId: string, one: string, other: string): Pick<DecisionRecord, 'id' | 'at' | 'by' | 'action' | 'summary'>[] {
  const [from, to] = one <= other ? [one, other] : [other, one];
  return stores.decisions
    .forDocument(documentId)
    .filter((d) => d.at > from && d.at <= to)
    .reverse()
    .map(({ id, at, by, action, summary }) => ({ id, at, by, action, summary }));
}
