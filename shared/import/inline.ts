import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { FOOTNOTE_REF } from './artefacts.ts';

/**
 * Inline content of one line: tabs become spaces, `[footnoteRef:N]` becomes a footnote node
 * carrying the body of footnote N.
 */
export function inlineContent(text: string, footnotes: ReadonlyMap<string, string>): PMNode[] {
  const nodes: PMNode[] = [];
  let last = 0;
  const flat = text.replace(/\t+/g, ' ');
  for (const match of flat.matchAll(FOOTNOTE_REF)) {
    if (match.index > last) nodes.push(schema.text(flat.slice(last, match.index)));
    nodes.push(schema.nodes.footnote!.create({ text: footnotes.get(match[1]!) ?? '' }));
    last = match.index + match[0].length;
  }
  if (last < flat.length) nodes.push(schema.text(flat.slice(last)));
  return nodes;
}
