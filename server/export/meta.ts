import type { Stores } from '../services.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import type { ExportMeta } from './formats.ts';

/** What an export prints about a document: symbol (with its revision), title, date, language, group. */
export function exportMeta(stores: Stores, document: DocumentRecord): ExportMeta {
  return {
    symbol: document.revision ? `${document.symbol} (${document.revision})` : document.symbol,
    title: document.title,
    date: document.documentDate,
    language: document.originalLanguage || 'English',
    group: stores.accounts.groupById(document.groupId)?.name ?? '',
    cover: coverLines(document.cover),
  };
}

/** A proposal's cover block as header lines: the conference, the document it is, its agenda item and source. */
export function coverLines(cover: Record<string, string>): string[] {
  return [
    cover.conference,
    cover.document,
    cover.agendaItem && (/^agenda/i.test(cover.agendaItem) ? cover.agendaItem : `Agenda item ${cover.agendaItem}`),
    cover.source && (/^source/i.test(cover.source) ? cover.source : `Source: ${cover.source}`),
  ].filter((line): line is string => Boolean(line));
}
