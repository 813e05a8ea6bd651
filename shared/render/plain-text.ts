import type { Node as PMNode } from 'prosemirror-model';
import { labels } from '../numbering.ts';
import type { Label } from '../numbering.ts';
import { suggestedMarker } from '../schema/markers.ts';
import type { Marker } from '../schema/markers.ts';

/** How to render: the text as it stands, or with each provision's proposal marker and reasons. */
export interface PlainTextOptions {
  /** Print "MOD ACP/47A1/1" before and "Reasons: …" after each provision of a proposal. */
  markers: boolean;
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: string) => [...n].map((d) => SUPERSCRIPT[Number(d)] ?? d).join('');

/** The marker a provision shows: the one set, or the one that follows from its text. */
export function provisionMarker(node: PMNode): Marker {
  return (node.attrs.marker as Marker | null) ?? suggestedMarker(node.attrs.baseText as string | null, node.firstChild?.textContent ?? '');
}

/**
 * The document as plain text, laid out as ITU texts are pasted: labels as computed, a tab after
 * each label, keywords on their own line, footnote numbers as superscripts and footnotes at the end.
 */
export function renderPlainText(doc: PMNode, options: Partial<PlainTextOptions> = {}): string {
  const { markers } = { markers: false, ...options };
  const computed = labels(doc);
  const proposal = markers && isProposal(doc);
  const lines: string[] = [];
  const footnotes: string[] = [];

  const inline = (node: PMNode, from: number): string => {
    let text = '';
    node.forEach((child, offset) => {
      if (child.isText) text += child.text;
      else if (child.type.name === 'hard_break') text += '\n';
      else if (child.type.name === 'footnote') {
        const label = computed.get(from + 1 + offset)?.label ?? '?';
        text += superscript(label);
        footnotes.push(`${label}\t${child.attrs.text as string}`);
      }
    });
    return text;
  };
  const labelled = (label: Label | undefined, text: string) => (label ? `${label.printed}\t${text}` : text);
  const provision = (node: PMNode, pos: number) => {
    const marker = proposal ? provisionMarker(node) : null;
    if (marker) lines.push([marker, node.attrs.reference].filter(Boolean).join('\t'));
    lines.push(labelled(computed.get(pos), inline(node.firstChild!, pos + 1)));
    if (marker && node.attrs.reasons) lines.push(`Reasons:\t${node.attrs.reasons as string}`);
  };

  const block = (node: PMNode, pos: number): void => {
    switch (node.type.name) {
      case 'proposal_line':
        lines.push(`${node.attrs.marker as string}\t${node.attrs.reference as string}`);
        return;
      case 'section':
        node.forEach((child, offset) => {
          const childPos = pos + 1 + offset;
          if (child.type.name === 'provision') {
            provision(child, childPos);
            child.forEach((sub, subOffset) => {
              if (sub.type.name === 'sub_item') provision(sub, childPos + 1 + subOffset);
            });
          } else lines.push(inline(child, childPos));
        });
        return;
      case 'heading':
      case 'numbered_paragraph':
        lines.push(labelled(computed.get(pos), inline(node, pos)));
        return;
      case 'ordered_list':
      case 'bullet_list':
        node.forEach((item, offset) => {
          const itemPos = pos + 1 + offset;
          const label = node.type.name === 'ordered_list' ? computed.get(itemPos)?.printed ?? '' : '–';
          item.forEach((child, childOffset) => {
            if (child.type.name === 'paragraph' && childOffset === 0) lines.push(`${label}\t${inline(child, itemPos + 1)}`);
            else block(child, itemPos + 1 + childOffset);
          });
        });
        return;
      case 'horizontal_rule':
        lines.push('__________________');
        return;
      case 'annex':
        lines.push('');
        node.forEach((child, offset) => (child.isTextblock ? lines.push(inline(child, pos + 1 + offset)) : block(child, pos + 1 + offset)));
        return;
      default:
        if (node.isTextblock) lines.push(inline(node, pos));
    }
  };

  doc.forEach((node, offset) => block(node, offset));
  if (footnotes.length) lines.push('__________________', ...footnotes);
  return `${lines.join('\n')}\n`;
}

/** A document is a proposal when any provision has a base text, a marker or a reference: then every provision shows its marker. */
export function isProposal(doc: PMNode): boolean {
  let found = false;
  doc.descendants((node) => {
    if (found) return false;
    if (node.type.name === 'provision' || node.type.name === 'sub_item') {
      found = node.attrs.baseText !== null || node.attrs.marker !== null || node.attrs.reference !== '';
    }
    return !found;
  });
  return found;
}
