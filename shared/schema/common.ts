import type { NodeSpec } from 'prosemirror-model';

/** Nodes every kind of document has: the document itself, paragraphs, text, footnotes, annexes. */
export const commonNodes: Record<string, NodeSpec> = {
  /** The whole text: front matter, sections or headed parts, annexes. */
  doc: { content: 'block+' },

  /** A paragraph of running text (also the text of a provision and of a list item). */
  paragraph: {
    content: 'inline*',
    group: 'block',
    parseDOM: [{ tag: 'p' }],
    toDOM: () => ['p', 0],
  },

  /** Plain text. */
  text: { group: 'inline' },

  /** A forced line break inside a paragraph. */
  hard_break: {
    inline: true,
    group: 'inline',
    selectable: false,
    parseDOM: [{ tag: 'br' }],
    toDOM: () => ['br'],
  },

  /** A footnote: its number is computed from its position, its text kept in the node. */
  footnote: {
    inline: true,
    group: 'inline',
    atom: true,
    attrs: { text: { default: '', validate: 'string' } },
    parseDOM: [{ tag: 'sup.footnote', getAttrs: (dom) => ({ text: (dom as HTMLElement).getAttribute('data-text') ?? '' }) }],
    toDOM: (node) => ['sup', { class: 'footnote', 'data-text': node.attrs.text, title: node.attrs.text }],
  },

  /** A separator line, as Council documents put before their references. */
  horizontal_rule: {
    group: 'block',
    parseDOM: [{ tag: 'hr' }],
    toDOM: () => ['hr'],
  },

  /** An annex to the text, with its own title and content. */
  annex: {
    content: 'annex_title block+',
    group: 'block',
    defining: true,
    isolating: true,
    parseDOM: [{ tag: 'section.annex' }],
    toDOM: () => ['section', { class: 'annex' }, 0],
  },

  /** The title of an annex ("Annex: Terms of reference of the working group"). */
  annex_title: {
    content: 'inline*',
    defining: true,
    parseDOM: [{ tag: 'h2.annex-title' }],
    toDOM: () => ['h2', { class: 'annex-title' }, 0],
  },
};
