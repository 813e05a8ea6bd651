import type { NodeSpec } from 'prosemirror-model';
import { oneOf } from './attribute-values.ts';

/** The parts of Council documents: headings, numbered paragraphs and lists (see the fixtures). */
export const councilNodes: Record<string, NodeSpec> = {
  /**
   * A heading: numbered ("1 Background", number computed) or not ("Purpose", "References").
   * Level 2 is a section heading, 3 a sub-heading.
   */
  heading: {
    content: 'inline*',
    group: 'block',
    defining: true,
    attrs: { level: { default: 2, validate: oneOf([2, 3, 4]) }, numbered: { default: false, validate: 'boolean' } },
    parseDOM: [2, 3, 4].map((level) => ({ tag: `h${level}`, getAttrs: (dom: HTMLElement) => ({ level, numbered: dom.dataset.numbered === 'true' }) })),
    toDOM: (node) => [`h${node.attrs.level}`, { 'data-numbered': String(node.attrs.numbered) }, 0],
  },

  /** A numbered paragraph of a Council document; numbers restart after each heading. */
  numbered_paragraph: {
    content: 'inline*',
    group: 'block',
    attrs: { id: { default: '', validate: 'string' } },
    parseDOM: [{ tag: 'p.numbered' }],
    toDOM: () => ['p', { class: 'numbered' }, 0],
  },

  /** A numbered list: 1) 2) 3). */
  ordered_list: {
    content: 'list_item+',
    group: 'block',
    parseDOM: [{ tag: 'ol' }],
    toDOM: () => ['ol', 0],
  },

  /** A bulleted list (ITU uses an en dash). */
  bullet_list: {
    content: 'list_item+',
    group: 'block',
    parseDOM: [{ tag: 'ul' }],
    toDOM: () => ['ul', 0],
  },

  /** One item of a list. */
  list_item: {
    content: 'paragraph block*',
    defining: true,
    parseDOM: [{ tag: 'li' }],
    toDOM: () => ['li', 0],
  },
};
