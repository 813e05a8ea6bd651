import type { MarkSpec } from 'prosemirror-model';

/** Kinds of square brackets met in negotiation (ARCHITECTURE.md §1). */
export const BRACKET_KINDS = ['contested', 'awaiting', 'alternative'] as const;
export type BracketKind = (typeof BRACKET_KINDS)[number];

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
  /**
   * Square brackets: text a delegation cannot accept yet, attributed to it. Several brackets may
   * cover the same text (they nest: `excludes: ''`), each with its own id; a bracket may span
   * several provisions. Alternatives are brackets of kind `alternative` sharing a `group`, one per
   * option, in text order. Not inclusive: typing right after someone's bracket is not inside it
   * (the editor continues one's own bracket explicitly).
   */
  bracket: {
    attrs: {
      id: { validate: 'string' },
      delegation: { validate: 'string' },
      kind: {
        default: 'contested',
        validate: (value) => {
          if (!(BRACKET_KINDS as readonly unknown[]).includes(value)) throw new RangeError(`bracket kind "${String(value)}" is not one of ${BRACKET_KINDS.join(', ')}`);
        },
      },
      group: { default: '', validate: 'string' },
      /** When it was proposed (ISO time), for the proposals panel's "age". */
      at: { default: '', validate: 'string' },
    },
    excludes: '',
    inclusive: false,
    parseDOM: [
      {
        tag: 'span.bracket',
        getAttrs: (dom) => {
          const data = (dom as HTMLElement).dataset;
          return { id: data.bracket ?? '', delegation: data.delegation ?? '', kind: data.kind ?? 'contested', group: data.group ?? '', at: data.at ?? '' };
        },
      },
    ],
    toDOM: (mark) => [
      'span',
      {
        class: `bracket bracket-${mark.attrs.kind}`,
        'data-bracket': mark.attrs.id,
        'data-delegation': mark.attrs.delegation,
        'data-kind': mark.attrs.kind,
        'data-group': mark.attrs.group,
        'data-at': mark.attrs.at,
      },
      0,
    ],
  },
};
