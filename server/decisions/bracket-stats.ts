import { bracketedShare, collectBrackets, openQuestions } from '../../shared/brackets/model.ts';
import type { OpenQuestions } from '../../shared/brackets/model.ts';
import type { Hub } from '../collab/hub.ts';
import type { Stores } from '../services.ts';

/**
 * How far a document is from a clean text: open questions (a bracket, or an alternatives group
 * however many options it has), the alternatives among them, and the share of its text in brackets.
 */
export interface BracketStats extends OpenQuestions {
  /** Percentage of the text's characters inside at least one bracket, one decimal. */
  share: number;
}

/**
 * Bracket counts for the group page, computed from the current text and kept until the document
 * changes (keyed by its newest stored update), so a group page refreshed every few seconds does
 * not re-read every document.
 */
export class BracketCounter {
  readonly #cache = new Map<string, { version: number; stats: BracketStats | null }>();

  constructor(
    private readonly stores: Stores,
    private readonly hub: Hub,
  ) {}

  of(documentId: string): BracketStats | null {
    const version = this.stores.log.lastUpdateId(documentId);
    const cached = this.#cache.get(documentId);
    if (cached && cached.version === version) return cached.stats;
    let stats: BracketStats | null = null;
    try {
      const doc = this.hub.read(documentId);
      const { bracketed, total } = bracketedShare(doc);
      stats = { ...openQuestions(collectBrackets(doc).values()), share: total ? Math.round((bracketed / total) * 1000) / 10 : 0 };
    } catch {
      stats = null; // a text that cannot be read strictly shows no count rather than a wrong one
    }
    this.#cache.set(documentId, { version: this.stores.log.lastUpdateId(documentId), stats });
    return stats;
  }
}
