import { diffWords } from 'diff';

/** One run of a MOD provision's text compared with its base: kept, inserted (underlined) or deleted (struck). */
export interface Change {
  kind: 'same' | 'inserted' | 'deleted';
  text: string;
}

/**
 * Word-by-word changes from a provision's base text to its current text, as ITU shows a MOD:
 * computed, never typed by hand (jsdiff's word diff, which keeps punctuation as its own token).
 */
export function wordChanges(base: string, text: string): Change[] {
  return diffWords(base, text).map((part) => ({
    kind: part.added ? 'inserted' : part.removed ? 'deleted' : 'same',
    text: part.value,
  }));
}
