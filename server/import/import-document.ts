import type { Node as PMNode } from 'prosemirror-model';
import type { DocumentType } from '../../shared/documents.ts';
import { importText } from '../../shared/import/index.ts';
import type { CoverBlock, ImportProblem } from '../../shared/import/index.ts';
import { startFromBaseText } from '../../shared/base-text.ts';
import type { Stores } from '../services.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import { createDocumentWithText } from './create-document.ts';
import { docxToText } from './docx.ts';
import { ImportError } from './import-error.ts';

export { ImportError };

export interface ImportRequest {
  groupId: number;
  userId: number | null;
  symbol: string;
  title?: string;
  type?: DocumentType;
  text?: string;
  docx?: Buffer;
  fromBase?: boolean;
  baseReference?: string;
  source?: string[];
}

/** A title for an imported text: its subtitle (the resolution's name), title or first heading. */
function titleOf(doc: PMNode): string | null {
  for (const type of ['subtitle', 'title', 'heading']) {
    let found: string | null = null;
    doc.forEach((node) => {
      if (!found && node.type.name === type && node.textContent.trim()) found = node.textContent.trim();
    });
    if (found) return found;
  }
  return null;
}

/** A proposal's cover block as the document's metadata: its date and original language, and the block itself for the header of exports. */
function coverMetadata(cover: CoverBlock | null) {
  if (!cover) return {};
  const written = Object.fromEntries(Object.entries(cover).filter(([key, value]) => typeof value === 'string' && value !== '' && key !== 'isoDate')) as Record<string, string>;
  return { cover: written, ...(cover.isoDate ? { documentDate: cover.isoDate } : {}), ...(cover.original ? { originalLanguage: cover.original } : {}) };
}

/** Imports a pasted text or a .docx as a new document of a group: the API's and the CLI's path. */
export async function importDocument(stores: Stores, request: ImportRequest): Promise<{ document: DocumentRecord; problems: ImportProblem[] }> {
  let text = request.text;
  if (request.docx) text = (await docxToText(request.docx)).text;
  if (text === undefined || text.trim() === '') throw new ImportError('nothing to import: give the text, or a .docx file');
  const kind = request.type === 'council-document' ? 'council-document' : request.type ? 'resolution' : undefined;
  const imported = importText(text, kind);
  const doc = request.fromBase ? startFromBaseText(imported.doc) : imported.doc;
  // a proposal of single provisions has no title line of its own: it is named after its source
  const title = request.title ?? titleOf(doc) ?? (request.source?.length ? `Proposals of ${request.source.join(', ')}` : null);
  if (!title) throw new ImportError('the text has no title line; give a title (or the delegation it comes from, for a proposal)');
  const document = createDocumentWithText(
    stores,
    {
      groupId: request.groupId,
      createdBy: request.userId,
      symbol: request.symbol,
      title: title.slice(0, 300),
      type: request.type ?? (imported.kind === 'council-document' ? 'council-document' : 'resolution'),
      baseReference: request.baseReference ?? '',
      source: request.source ?? [],
      ...coverMetadata(imported.cover),
    },
    doc,
    'document.import',
  );
  return { document, problems: imported.problems };
}
