/**
 * Revision marks inside an imported line. A .docx carries them as Word tracked changes (w:ins,
 * w:del) or as underlined and struck-through runs, the way ITU prints a MOD; the .docx reader
 * (server/import/docx-lines.ts) writes them into the line text with these private-use characters,
 * which no pasted text contains, and the importer reads them back as insertions and deletions
 * against the base text. A pasted text can carry them too (a client may send them), so the
 * importer must treat unbalanced or nested marks as plain text, never fail on them.
 */
export const INSERTION_OPEN = '\uE000';
export const INSERTION_CLOSE = '\uE001';
export const DELETION_OPEN = '\uE002';
export const DELETION_CLOSE = '\uE003';

/** Whether a text carries any revision mark. */
export const hasRevisionMarks = (text: string) => /[\uE000-\uE003]/.test(text);
