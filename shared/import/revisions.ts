import { DELETION_CLOSE, DELETION_OPEN, INSERTION_CLOSE, INSERTION_OPEN, hasRevisionMarks } from './revision-chars.ts';

/** A line read for its revision marks: the text as proposed and as it stood in the base text. */
export interface RevisedLine {
  /** With insertions, without deletions. */
  current: string;
  /** Without insertions, with deletions. */
  base: string;
  /** Whether the line carried balanced marks at all. */
  marked: boolean;
  /** Everything but white space was inserted (ADD) or deleted (SUP). */
  wholeInsertion: boolean;
  wholeDeletion: boolean;
}

const ANY_MARK = /[\uE000-\uE003]/g;

/**
 * Splits a line carrying the private-use revision marks of revision-chars.ts. Marks that do not
 * pair up (unbalanced, nested, crossed) are plain text: they are dropped and the words kept.
 */
export function readRevisions(line: string): RevisedLine {
  const plain = { current: line.replace(ANY_MARK, ''), base: line.replace(ANY_MARK, ''), marked: false, wholeInsertion: false, wholeDeletion: false };
  if (!hasRevisionMarks(line)) return plain;
  let current = '';
  let base = '';
  let inserted = '';
  let deleted = '';
  let kept = '';
  let open: string | null = null;
  for (const ch of line) {
    if (ch === INSERTION_OPEN || ch === DELETION_OPEN) {
      if (open) return plain;
      open = ch;
    } else if (ch === INSERTION_CLOSE || ch === DELETION_CLOSE) {
      if ((ch === INSERTION_CLOSE && open !== INSERTION_OPEN) || (ch === DELETION_CLOSE && open !== DELETION_OPEN)) return plain;
      open = null;
    } else if (open === INSERTION_OPEN) {
      current += ch;
      inserted += ch;
    } else if (open === DELETION_OPEN) {
      base += ch;
      deleted += ch;
    } else {
      current += ch;
      base += ch;
      kept += ch;
    }
  }
  if (open) return plain;
  const blank = kept.trim() === '';
  return { current, base, marked: true, wholeInsertion: blank && inserted.trim() !== '' && deleted.trim() === '', wholeDeletion: blank && deleted.trim() !== '' && inserted.trim() === '' };
}

export const stripRevisionMarks = (line: string) => line.replace(ANY_MARK, '');
