import type { Stores } from '../services.ts';
import type { Hub } from '../collab/hub.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import { compileProposals } from '../../shared/compile/compile.ts';
import { unitsOf } from '../../shared/compile/align.ts';
import { createDocumentWithText } from '../import/create-document.ts';

/** A compilation the secretariat cannot make as asked; the message says what to change. */
export class CompileError extends Error {}

export interface CompileRequest {
  groupId: number;
  userId: number | null;
  symbol: string;
  title?: string;
  baseDocumentId: string;
  sources: { documentId: string; delegation: string }[];
}

/** At most this many sources in one compilation (a conference's regional groups and Member States). */
export const MAX_SOURCES = 40;

/**
 * Compiles a negotiation text from the current texts of a base document and of the sources'
 * proposal documents of the same group, and stores it as a new document with its compilation
 * table, in one transaction: the secretariat's "compile" on the group page.
 */
export function compileDocuments(stores: Stores, hub: Hub, request: CompileRequest): DocumentRecord {
  const ofGroup = (id: string, what: string): DocumentRecord => {
    const document = stores.documents.get(id);
    if (!document || document.groupId !== request.groupId) throw new CompileError(`there is no ${what} ${id} in this group; pick one of the group's documents`);
    return document;
  };
  const base = ofGroup(request.baseDocumentId, 'base document');
  if (request.sources.length === 0) throw new CompileError('no proposals were chosen: pick at least one source document and its delegation');
  if (request.sources.length > MAX_SOURCES) throw new CompileError(`at most ${MAX_SOURCES} proposals can be compiled at once`);
  const delegations = new Map(stores.accounts.delegations(request.groupId).map((d) => [d.name.toLowerCase(), d.name]));
  const seen = new Set<string>();
  const sources = request.sources.map((source) => {
    const document = ofGroup(source.documentId, 'proposal document');
    if (document.id === base.id) throw new CompileError(`${document.symbol} is the base text; it cannot also be one of the proposals`);
    if (seen.has(document.id)) throw new CompileError(`${document.symbol} is chosen twice; pick each proposal once`);
    seen.add(document.id);
    const delegation = delegations.get(source.delegation.trim().toLowerCase());
    if (!delegation) throw new CompileError(`"${source.delegation}" is not a delegation of this group; add it on the group page, or pick one of: ${[...delegations.values()].join(', ')}`);
    return { document, delegation };
  });
  const baseText = hub.read(base.id);
  if (unitsOf(baseText).length === 0) throw new CompileError(`${base.symbol} has no provisions to compile proposals against; pick a resolution as the base text`);
  const compiled = compileProposals(
    baseText,
    { symbol: base.symbol, title: base.title },
    sources.map(({ document, delegation }) => ({ delegation, doc: hub.read(document.id), symbol: document.symbol })),
  );
  return stores.db.transaction(() => {
    const record = createDocumentWithText(
      stores,
      {
        groupId: request.groupId,
        createdBy: request.userId,
        symbol: request.symbol,
        title: (request.title ?? `Compilation of proposals on ${base.title}`).slice(0, 300),
        type: 'resolution',
        source: [...new Set(sources.map((s) => s.delegation))],
        baseReference: base.title ? `${base.symbol} — ${base.title}` : base.symbol,
      },
      compiled.doc,
      'document.compile',
    );
    stores.compilations.add({
      documentId: record.id,
      baseDocumentId: base.id,
      sources: sources.map((s) => ({ documentId: s.document.id, delegation: s.delegation })),
      table: compiled.table,
      createdBy: request.userId,
    });
    return record;
  })();
}
