import { Plugin, PluginKey } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { Decoration, DecorationSet } from 'prosemirror-view';
import { labels } from '../../shared/numbering.ts';

/**
 * What the printed layout shows but the text does not contain, drawn as node decorations (display
 * only — nothing here changes the shared text):
 * - computed labels (provisions "a)", "3 bis", sub-items "1.1", numbered headings and paragraphs,
 *   footnote numbers) as a `data-label` attribute the stylesheet prints before the node, so the
 *   numbering renumbers for everyone as provisions come and go (shared/numbering.ts);
 * - the `keyword` class on a plain paragraph that is wholly italic (texts imported before keywords
 *   had their own node), which gets the keyword's spacing.
 */
export const layoutKey = new PluginKey<DecorationSet>('itu-layout');

/** Ordered lists are numbered by the browser already. */
const LABELLED = new Set(['provision', 'sub_item', 'heading', 'numbered_paragraph', 'footnote']);

function decorate(doc: PMNode): DecorationSet {
  const decorations: Decoration[] = [];
  for (const { pos, printed } of labels(doc).values()) {
    const node = doc.nodeAt(pos);
    if (node && LABELLED.has(node.type.name)) {
      decorations.push(Decoration.node(pos, pos + node.nodeSize, { 'data-label': printed, class: 'labelled' }));
    }
  }
  doc.descendants((node, pos) => {
    if (node.type.name !== 'paragraph') return true;
    let italic = node.childCount > 0;
    node.forEach((child) => {
      if (!child.isText || !child.marks.some((mark) => mark.type.name === 'em')) italic = false;
    });
    if (italic) decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: 'keyword' }));
    return false;
  });
  return DecorationSet.create(doc, decorations);
}

export function layoutPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: layoutKey,
    state: {
      init: (_, state) => decorate(state.doc),
      apply: (tr, previous) => (tr.docChanged ? decorate(tr.doc) : previous),
    },
    props: {
      decorations: (state) => layoutKey.getState(state),
    },
  });
}
