import type { Mark, Node as PMNode } from 'prosemirror-model';
import type { BracketKind } from '../schema/index.ts';
import { labels } from '../numbering.ts';

/**
 * Square brackets as the negotiation sees them: one entry per bracket id, with the delegation that
 * proposed it, its kind, the text it covers and where it stands (section keyword, provision label).
 */
export interface BracketAttrs {
  id: string;
  delegation: string;
  kind: BracketKind;
  group: string;
  at: string;
}

export interface Bracket extends BracketAttrs {
  /** The bracketed text, in document order (nested brackets included). */
  text: string;
  /** First and last document position covered. */
  from: number;
  to: number;
  /** Provision (id and computed label) and section keyword it starts in, when it is in one. */
  provisionId: string | null;
  provisionLabel: string | null;
  sectionId: string | null;
  section: string | null;
  /** The bracket covers the whole text of its provision(s). */
  wholeProvision: boolean;
}

/** Chair's brackets are attributed to the chair, under this name. */
export const CHAIR = 'Chair';

export function bracketMarks(marks: readonly Mark[]): Mark[] {
  return marks.filter((mark) => mark.type.name === 'bracket');
}

export const attrsOf = (mark: Mark): BracketAttrs => mark.attrs as BracketAttrs;

/** Every bracket of a document, keyed by id, in order of first appearance. */
export function collectBrackets(doc: PMNode): Map<string, Bracket> {
  const found = new Map<string, Bracket>();
  const computed = labels(doc);
  /** Per provision id: its number of characters, and how many each bracket covers. */
  const coverage = new Map<string, { total: number; covered: Map<string, number> }>();
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    const $pos = doc.resolve(pos);
    let provisionDepth = -1;
    let sectionDepth = -1;
    for (let d = $pos.depth; d > 0; d--) {
      const name = $pos.node(d).type.name;
      if (name === 'provision' && provisionDepth < 0) provisionDepth = d;
      if (name === 'section' && sectionDepth < 0) sectionDepth = d;
    }
    const provision = provisionDepth > 0 ? $pos.node(provisionDepth) : null;
    const section = sectionDepth > 0 ? $pos.node(sectionDepth) : null;
    let inProvision: { total: number; covered: Map<string, number> } | undefined;
    if (provision) {
      const id = provision.attrs.id as string;
      inProvision = coverage.get(id) ?? { total: 0, covered: new Map() };
      coverage.set(id, inProvision);
      inProvision.total += node.text!.length;
    }
    for (const mark of bracketMarks(node.marks)) {
      const attrs = attrsOf(mark);
      let bracket = found.get(attrs.id);
      if (!bracket) {
        bracket = {
          ...attrs,
          text: '',
          from: pos,
          to: pos,
          provisionId: provision ? (provision.attrs.id as string) : null,
          provisionLabel: provision ? (computed.get($pos.before(provisionDepth))?.printed ?? null) : null,
          sectionId: section ? (section.attrs.id as string) : null,
          section: section ? (section.firstChild?.textContent ?? '') : null,
          wholeProvision: false,
        };
        found.set(attrs.id, bracket);
      }
      bracket.text += node.text!;
      bracket.to = pos + node.nodeSize;
      if (inProvision) inProvision.covered.set(attrs.id, (inProvision.covered.get(attrs.id) ?? 0) + node.text!.length);
    }
    return false;
  });
  for (const { total, covered } of coverage.values()) {
    for (const [id, length] of covered) if (length === total && total > 0) found.get(id)!.wholeProvision = true;
  }
  return found;
}

/** How much of the text is still in brackets: characters inside at least one bracket / all characters. */
export function bracketedShare(doc: PMNode): { bracketed: number; total: number } {
  let bracketed = 0;
  let total = 0;
  doc.descendants((node) => {
    if (!node.isText) return true;
    total += node.text!.length;
    if (node.marks.some((mark) => mark.type.name === 'bracket')) bracketed += node.text!.length;
    return false;
  });
  return { bracketed, total };
}

/** The options of an alternatives group, in text order. */
export function optionsOf(brackets: Map<string, Bracket>, group: string): Bracket[] {
  return [...brackets.values()].filter((b) => b.kind === 'alternative' && b.group === group).sort((a, b) => a.from - b.from);
}

/** Who a bracket is shown as: its delegation, or "Base text" for a compilation's base wording (attributed to nobody). */
export const ownerOf = (delegation: string): string => delegation || 'Base text';

/** "Kenya's", or "the base text's" for wording that is the text's own. */
export const possessive = (delegation: string): string => (delegation ? `${delegation}'s` : "the base text's");

/** What is still open in a text: each bracket is one question, and so is each alternatives group, whatever its number of options. */
export interface OpenQuestions {
  /** Brackets outside alternatives, plus alternatives groups. */
  open: number;
  /** Alternatives groups, and their options. */
  alternatives: number;
  options: number;
}

export function openQuestions(brackets: Iterable<Bracket>): OpenQuestions {
  let single = 0;
  let options = 0;
  const groups = new Set<string>();
  for (const b of brackets) {
    if (b.kind !== 'alternative') single++;
    else {
      options++;
      groups.add(b.group);
    }
  }
  return { open: single + groups.size, alternatives: groups.size, options };
}

/** "1 alternative (3 options)", "2 alternatives (5 options)". */
export const alternativesPhrase = ({ alternatives, options }: OpenQuestions): string => `${alternatives} alternative${alternatives === 1 ? '' : 's'} (${options} option${options === 1 ? '' : 's'})`;
