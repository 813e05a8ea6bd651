import type { Node as PMNode } from 'prosemirror-model';
import { labels } from './numbering.ts';
import { newId } from './ids.ts';

/**
 * A proposal started from a base text ("propose modifications to Resolution 214"): every
 * provision and sub-item keeps its base text and base label, so it starts as NOC, becomes MOD
 * when edited, and new provisions between them are numbered bis, ter.
 */
export function startFromBaseText(doc: PMNode): PMNode {
  const computed = labels(doc);
  const mark = (node: PMNode, pos: number): PMNode => {
    if (node.type.name === 'provision' || node.type.name === 'sub_item') {
      const children: PMNode[] = [];
      node.forEach((child, offset) => children.push(mark(child, pos + 1 + offset)));
      return node.type.create(
        { ...node.attrs, id: node.attrs.id || newId('p'), marker: null, baseText: node.firstChild?.textContent ?? '', baseLabel: computed.get(pos)?.label ?? '' },
        children,
        node.marks,
      );
    }
    if (node.isLeaf || node.isTextblock) return node;
    const children: PMNode[] = [];
    node.forEach((child, offset) => children.push(mark(child, pos + 1 + offset)));
    return node.copy(node.type.create(null, children).content);
  };
  const children: PMNode[] = [];
  doc.forEach((child, offset) => children.push(mark(child, offset)));
  return doc.type.create(doc.attrs, children);
}
