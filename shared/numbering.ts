import type { Node as PMNode } from 'prosemirror-model';
import type { NumberingStyle } from './schema/resolution.ts';

/**
 * Numbering is computed, never typed: every label comes from the node's position, so inserting
 * or deleting a provision renumbers for everyone, and export prints exactly what the editor shows.
 *
 * In a proposal against a base text, provisions that exist in the base keep their base label, and
 * new ones take ITU's Latin ordinals after the provision they follow: 3 bis, 3 ter, a quater.
 * A new provision before the first one of a section counts from a virtual "0" (0 bis).
 */
export interface Label {
  /** Position of the labelled node in the document. */
  pos: number;
  /** The label itself: "a", "3", "3 bis", "1.2", "i". */
  label: string;
  /** The label as printed: "a)", "3", "3 bis", "1.2", "i)". */
  printed: string;
}

const LATIN_ORDINALS = ['bis', 'ter', 'quater', 'quinquies', 'sexies', 'septies', 'octies', 'novies', 'decies'];

/** a, b, … z, aa, ab, … (bijective base 26). */
export function letterLabel(n: number): string {
  let label = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) label = String.fromCharCode(97 + ((k - 1) % 26)) + label;
  return label;
}

/** i, ii, iii, iv … for sub-items of lettered provisions. */
export function romanLabel(n: number): string {
  const numerals: [number, string][] = [
    [1000, 'm'],
    [900, 'cm'],
    [500, 'd'],
    [400, 'cd'],
    [100, 'c'],
    [90, 'xc'],
    [50, 'l'],
    [40, 'xl'],
    [10, 'x'],
    [9, 'ix'],
    [5, 'v'],
    [4, 'iv'],
    [1, 'i'],
  ];
  let rest = n;
  let label = '';
  for (const [value, numeral] of numerals) {
    while (rest >= value) {
      label += numeral;
      rest -= value;
    }
  }
  return label;
}

/** The n-th ITU ordinal after a label: 3 bis (n = 1), 3 ter (n = 2), …; past decies, "3 (11)". */
export function latinOrdinal(base: string, n: number): string {
  return `${base} ${LATIN_ORDINALS[n - 1] ?? `(${n + 1})`}`;
}

function printLetters(label: string): string {
  return `${label})`;
}

/** Labels of the provisions of one section, given each provision's base label (or null). */
export function sectionLabels(style: NumberingStyle, baseLabels: readonly (string | null)[]): string[] {
  if (style === 'none') return baseLabels.map(() => '');
  if (style === 'dashes') return baseLabels.map(() => '–');
  const hasBase = baseLabels.some((b) => b !== null);
  if (!hasBase) return baseLabels.map((_, i) => (style === 'letters' ? letterLabel(i + 1) : String(i + 1)));
  let anchor = '0';
  let added = 0;
  return baseLabels.map((base) => {
    if (base !== null) {
      anchor = base;
      added = 0;
      return base;
    }
    added++;
    return latinOrdinal(anchor, added);
  });
}

/** Every computed label of a document: provisions, sub-items, numbered headings and paragraphs, list items, footnotes. */
export function labels(doc: PMNode): Map<number, Label> {
  const result = new Map<number, Label>();
  let heading = 0;
  let paragraphInHeading = 0;
  let footnote = 0;
  doc.descendants((node, pos) => {
    switch (node.type.name) {
      case 'section': {
        const style = node.attrs.numbering as NumberingStyle;
        const provisions: { node: PMNode; pos: number }[] = [];
        node.forEach((child, offset) => {
          if (child.type.name === 'provision') provisions.push({ node: child, pos: pos + 1 + offset });
        });
        const provisionLabels = sectionLabels(
          style,
          provisions.map((p) => p.node.attrs.baseLabel as string | null),
        );
        provisions.forEach((provision, i) => {
          const label = provisionLabels[i]!;
          if (label) result.set(provision.pos, { pos: provision.pos, label, printed: style === 'letters' && !label.includes(' ') ? printLetters(label) : label });
          labelSubItems(provision.node, provision.pos, style, label, result);
        });
        return true;
      }
      case 'heading':
        paragraphInHeading = 0;
        if (node.attrs.numbered && node.attrs.level === 2) {
          heading++;
          result.set(pos, { pos, label: String(heading), printed: String(heading) });
        }
        return false;
      case 'numbered_paragraph':
        paragraphInHeading++;
        result.set(pos, { pos, label: String(paragraphInHeading), printed: String(paragraphInHeading) });
        return false;
      case 'ordered_list':
        node.forEach((_item, offset, i) => {
          const itemPos = pos + 1 + offset;
          result.set(itemPos, { pos: itemPos, label: String(i + 1), printed: `${i + 1})` });
        });
        return true;
      case 'footnote':
        footnote++;
        result.set(pos, { pos, label: String(footnote), printed: String(footnote) });
        return false;
      default:
        return true;
    }
  });
  return result;
}

function labelSubItems(provision: PMNode, provisionPos: number, style: NumberingStyle, parent: string, result: Map<number, Label>): void {
  const subItems: { node: PMNode; pos: number }[] = [];
  provision.forEach((child, offset) => {
    if (child.type.name === 'sub_item') subItems.push({ node: child, pos: provisionPos + 1 + offset });
  });
  if (subItems.length === 0) return;
  const hasBase = subItems.some((s) => s.node.attrs.baseLabel !== null);
  let anchor = '0';
  let added = 0;
  subItems.forEach((sub, i) => {
    let label: string;
    if (!hasBase) label = style === 'letters' ? romanLabel(i + 1) : `${parent || '0'}.${i + 1}`;
    else if (sub.node.attrs.baseLabel !== null) {
      label = sub.node.attrs.baseLabel as string;
      anchor = label;
      added = 0;
    } else {
      added++;
      label = latinOrdinal(anchor, added);
    }
    const printed = style === 'letters' && !label.includes(' ') ? `${label})` : label;
    result.set(sub.pos, { pos: sub.pos, label, printed });
  });
}
