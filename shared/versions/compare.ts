import type { Node as PMNode } from 'prosemirror-model';
import { labels } from '../numbering.ts';
import { wordChanges } from '../revision-marks.ts';
import type { Change } from '../revision-marks.ts';
import { collectBrackets, optionsOf } from '../brackets/model.ts';
import type { Bracket } from '../brackets/model.ts';
import { inlineRuns } from '../render/inline-runs.ts';

/**
 * What changed between two versions of a text, in reading order of the newer one: provisions
 * matched by id (so a renumbered provision is not "changed"), other lines by their kind and rank;
 * each change word by word, with the delegations whose brackets stand in it where that is known.
 * The text is compared as the negotiation reads it — brackets printed, the options of an
 * alternative apart ("[Alt 1: … / Alt 2: …]") — and what the words alone do not show is listed
 * too: each bracket that went (its words kept or gone) and each provision whose status changed.
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
  /** A provision's status. */
  status?: string;
}

/** A bracket of the older text that the newer one no longer has: accepted or chosen (words kept), or rejected, set aside or withdrawn (words gone). */
export interface BracketRemoval {
  where: string;
  /** Whose it was: a delegation, or '' for the base text's wording. */
  delegation: string;
  kind: string;
  text: string;
  /** For an option: "Alt 2". */
  option: string | null;
  outcome: 'kept' | 'gone';
}

/** A provision whose status changed: "b) of recalling: open → agreed". */
export interface StatusChange {
  where: string;
  from: string;
  to: string;
}

const STATUS_WORDS: Record<string, string> = { open: 'open', agreed_ad_ref: 'agreed ad referendum', agreed: 'agreed' };

/** A textblock as the negotiation reads it: its brackets printed, the options of an alternative apart. */
function readingOf(node: PMNode): string {
  return inlineRuns(node, 'plain', () => 0)
    .filter((run) => run.footnote === undefined)
    .map((run) => run.text)
    .join('');
}

const BLOCK_NAMES: Record<string, string> = {
  title: 'the title',
  subtitle: 'the subtitle',
  enacting_formula: 'the enacting formula',
  keyword: 'a keyword',
  intro: 'an introductory line',
  heading: 'a heading',
  numbered_paragraph: 'a numbered paragraph',
  paragraph: 'a paragraph',
  annex_title: 'an annex title',
  proposal_line: 'the proposal line',
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
      units.push({
        key: `p:${node.attrs.id as string}`,
        where: [label, keyword && `of ${keyword}`].filter(Boolean).join(' ') || 'a provision',
        text: node.firstChild ? readingOf(node.firstChild) : '',
        provisionId: node.attrs.id as string,
        status: node.attrs.status as string,
      });
      return node.type.name === 'provision';
    }
    if (node.isTextblock) {
      const parent = doc.resolve(pos).parent.type.name;
      if (parent === 'provision' || parent === 'sub_item') return false;
      const rank = (ranks.get(node.type.name) ?? 0) + 1;
      ranks.set(node.type.name, rank);
      const label = computed.get(pos)?.printed;
      units.push({
        key: `${node.type.name}:${rank}`,
        where: node.type.name === 'keyword' ? `the keyword “${node.textContent}”` : `${BLOCK_NAMES[node.type.name] ?? node.type.name}${label ? ` ${label}` : rank > 1 ? ` (${rank})` : ''}`,
        text: readingOf(node),
        provisionId: null,
      });
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
    // the base text's options are nobody's proposal
    const proposedBy = unit.provisionId ? [...new Set(brackets.filter((b) => b.provisionId === unit.provisionId && b.delegation).map((b) => b.delegation))] : [];
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

/** Where a bracket stood, as the comparison names places: "b) of recalling". */
const placeOf = (b: Bracket) => [b.provisionLabel, b.section && `of ${b.section}`].filter(Boolean).join(' ') || 'outside the provisions';

/**
 * Each bracket of the older text gone from the newer one, in the older text's order. Its words
 * were kept when the newer text still holds them where it stood (accepted, chosen), else they went
 * (rejected, set aside, withdrawn with their text).
 */
export function bracketRemovals(older: PMNode, newer: PMNode): BracketRemoval[] {
  const before = collectBrackets(older);
  const after = collectBrackets(newer);
  const provisions = new Map<string, string>();
  newer.descendants((node) => {
    if (node.type.name === 'provision') provisions.set(node.attrs.id as string, node.textContent);
    return !node.isTextblock;
  });
  const removals: BracketRemoval[] = [];
  for (const b of before.values()) {
    if (after.has(b.id)) continue;
    const option = b.kind === 'alternative' ? `Alt ${optionsOf(before, b.group).indexOf(b) + 1}` : null;
    const now = b.provisionId ? provisions.get(b.provisionId) : undefined;
    // an option set aside leaves its words nowhere; a chosen one, its words as plain text
    const kept = now?.includes(b.text) && !(option && optionsOf(after, b.group).length > 0);
    removals.push({ where: placeOf(b), delegation: b.delegation, kind: b.kind, text: b.text, option, outcome: kept ? 'kept' : 'gone' });
  }
  return removals;
}

/** Each provision in both texts whose status is not the same. */
export function statusChanges(older: PMNode, newer: PMNode): StatusChange[] {
  const before = new Map(unitsOf(older).map((u) => [u.key, u]));
  const changes: StatusChange[] = [];
  for (const unit of unitsOf(newer)) {
    const previous = before.get(unit.key);
    if (!previous || previous.status === undefined || previous.status === unit.status) continue;
    changes.push({ where: unit.where, from: STATUS_WORDS[previous.status] ?? previous.status, to: STATUS_WORDS[unit.status!] ?? unit.status! });
  }
  return changes;
}
