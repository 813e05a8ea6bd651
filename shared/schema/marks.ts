import type { MarkSpec } from 'prosemirror-model';

/** Inline formatting a delegation may apply; brackets and revision marks come as their own marks. */
export const marks: Record<string, MarkSpec> = {
  /** Italic: keywords inside running text, titles of instruments. */
  em: {
    parseDOM: [{ tag: 'i' }, { tag: 'em' }, { style: 'font-style=italic' }],
    toDOM: () => ['em', 0],
  },
  /** Bold. */
  strong: {
    parseDOM: [{ tag: 'strong' }, { tag: 'b' }],
    toDOM: () => ['strong', 0],
  },
};
