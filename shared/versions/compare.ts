import type { Node as PMNode } from 'prosemirror-model';
import { labels } from '../numbering.ts';
import { wordChanges } from '../revision-marks.ts';
import type { Change } from '../revision-marks.ts';
import { collectBrackets } from '../brackets/model.ts';

/**
 * What changed between two versions of a text, in reading order of the newer one: provisions
 * matched by id (so a renumbered provision is not "changed"), other lines by their kind and rank;
 * each change word by word, with the delegations whose brackets stand in it where that is known.
 */
export interface ComparisonEntry {
  /** "b) of recalling", "the title", "operative 3". */
  where: string;
  kind: 'changed' | 'added' | 'removed';
  parts: Change[];
  /** Delegations with brackets in the newer text of this place. */
  proposedBy: string[];
}

interface Unit {
  key: string;
  where: string;
  text: string;
  provisionId: string | null;
}

const BLOCK_NAMES: Record<string, string> = {
  title: 'the title', subtitle: 'the subtitle', enacting_formula: 'the enacting formula', keyword: 'a keyword',
  intro: 'an introductory line', heading: 'a heading', numbered_paragraph: 'a numbered paragraph', paragraph: 'a paragraph',
  annex_title: 'an annex title', proposal_line: 'the proposal line',
};

function unitsOf(doc: PMNode): Unit[] {
  const computed = labels(doc);
  const units: Unit[] = [];
  const ranks = new Map<string, number>();
  let keyword = '';
  doc.descendants((node, pos) => {
    if (node.type.name === 'section') keyword = node.firstChild?.textContent ?? '';
    if (node.type.name === 'provision' || node.type.name === 'sub_item') {
      const label = computed.get(pos)?.printed ?? '';
      units.push({ key: `p:${node.attrs.id as string}`, where: [label, keyword && `of ${keyword}`].filter(Boolean).join(' ') || 'a provision', text: node.firstChild?.textContent ?? '', provisionId: node.attrs.id as string });
      return node.type.name === 'provision';
    }
    if (node.isTextblock) {
      const parent = doc.resolve(pos).parent.type.name;
      if (parent === 'provision' || parent === 'sub_item') return false;
      const rank = (ranks.get(node.type.name) ?? 0) + 1;
      ranks.set(node.type.name, rank);
      const label = computed.get(pos)?.printed;
      units.push({ key: `${node.type.name}:${rank}`, where: node.type.name === 'keyword' ? `the keyword “${node.textContent}”` : `${BLOCK_NAMES[node.type.name] ?? node.type.name}${label ? ` ${label}` : rank > 1 ? ` (${rank})` : ''}`, text: node.textContent, provisionId: null });
      return false;
    }
    if (node.isAtom && node.type.name === 'proposal_line') {
      units.push({ key: 'proposal_line:1', where: 'the proposal line', text: `${node.attrs.marker as string} ${node.attrs.reference as string}`, provisionId: null });
    }
    return true;
  });
  return units;
}

export function compareTexts(older: PMNode, newer: PMNode): ComparisonEntry[] {
  const before = new Map(unitsOf(older).map((u) => [u.key, u]));
  const after = unitsOf(newer);
  const brackets = [...collectBrackets(newer).values()];
  const entries: ComparisonEntry[] = [];
  const seen = new Set<string>();
  for (const unit of after) {
    seen.add(unit.key);
    const previous = before.get(unit.key);
    const proposedBy = unit.provisionId ? [...new Set(brackets.filter((b) => b.provisionId === unit.provisionId).map((b) => b.delegation))] : [];
    if (!previous) {
      entries.push({ where: unit.where, kind: 'added', parts: [{ kind: 'inserted', text: unit.text }], proposedBy });
    } else if (previous.text !== unit.text) {
      entries.push({ where: unit.where, kind: 'changed', parts: wordChanges(previous.text, unit.text), proposedBy });
    }
  }
  for (const [key, unit] of before) {
    if (!seen.has(key)) entries.push({ where: unit.where, kind: 'removed', parts: [{ kind: 'deleted', text: unit.text }], proposedBy: [] });
  }
  return entries;
}
