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
  };
}
