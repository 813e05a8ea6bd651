/** Kinds of document a working group drafts, and the states a document moves through. */
export const DOCUMENT_TYPES = ['resolution', 'recommendation', 'decision', 'council-document'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['draft', 'negotiation', 'agreed', 'archived'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * ITU document symbols: "CWG-AI/3", "C24/67", "PP-22/47(Add.1)", "C24/INF/15".
 * Letters, digits and - . / ( ) only, starting with a letter.
 */
export const SYMBOL_PATTERN = '^[A-Za-z][A-Za-z0-9.\\-]*(/[A-Za-z0-9.\\-]+)*(\\((Add|Rev|Corr)\\.\\d+\\))*$';

export function isDocumentSymbol(value: string): boolean {
  return new RegExp(SYMBOL_PATTERN).test(value) && value.length <= 64;
}
