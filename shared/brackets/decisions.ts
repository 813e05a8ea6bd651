import type { Mark, Node as PMNode } from 'prosemirror-model';
import { Transform } from 'prosemirror-transform';
import { PROVISION_STATUSES } from '../schema/index.ts';
import type { ProvisionStatus } from '../schema/index.ts';
import { attrsOf, bracketMarks, collectBrackets, optionsOf, ownerOf, possessive } from './model.ts';
import { labels } from '../numbering.ts';
import type { Bracket } from './model.ts';

/**
 * The chair's decisions on the text, as pure functions from one document to the next. The server
 * runs them on the live document and writes the result as its own change, so a decision reaches
 * everyone as an ordinary update and cannot be forged by a client.
 *
 * - accept: the brackets go, the text stays;
 * - reject: the bracketed text goes (with brackets nested in it); a provision or sub-item left
 *   empty goes too, and a section left without provisions, so numbering follows; an alternative
 *   left with the base text's option alone dissolves into plain text;
 * - choose: one option of an alternatives group stays as plain text, the other options go;
 * - status: open → agreed ad referendum → agreed, and back (the chair reopens); a provision with
 *   open brackets cannot be agreed.
 */
export type Decision =
  | { action: 'accept'; bracketIds: string[] }
  | { action: 'reject'; bracketIds: string[] }
  | { action: 'choose'; optionId: string }
  | { action: 'status'; provisionId: string; status: ProvisionStatus };

/** A decision that cannot be made on this text; the message says why and what to do. */
export class DecisionError extends Error {}

export interface DecisionResult {
  doc: PMNode;
  /** One line for the decision log: "rejected Brazil's bracket “…” in b) of recalling". */
  summary: string;
  /** The brackets decided on. */
  brackets: Bracket[];
}

const quote = (text: string) => `“${text.length > 60 ? `${text.slice(0, 57)}…` : text}”`;
const where = (b: Bracket) => [b.provisionLabel && `${b.provisionLabel}`, b.section && `of ${b.section}`].filter(Boolean).join(' ');
/** Whose a bracket is: a delegation's, or — for the base wording of an alternative — the base text's. */
const describe = (b: Bracket) => `${possessive(b.delegation)} ${b.kind === 'alternative' ? 'option' : 'bracket'} ${quote(b.text)}${where(b) ? ` in ${where(b)}` : ''}`;

export function applyDecision(doc: PMNode, decision: Decision): DecisionResult {
  const brackets = collectBrackets(doc);
  const pick = (ids: string[]) => {
    if (ids.length === 0) throw new DecisionError('no bracket was chosen: choose at least one');
    return ids.map((id) => {
      const bracket = brackets.get(id);
      if (!bracket) throw new DecisionError(`there is no bracket ${id} in the text any more; reload the proposals`);
      return bracket;
    });
  };
  switch (decision.action) {
    case 'accept': {
      const chosen = pick(decision.bracketIds);
      const alternative = chosen.find((b) => b.kind === 'alternative');
      if (alternative) throw new DecisionError(`${describe(alternative)} is one of several alternatives: choose it instead of accepting it`);
      return { doc: removeBrackets(doc, new Set(decision.bracketIds)), summary: `accepted ${list(chosen)}`, brackets: chosen };
    }
    case 'reject': {
      const chosen = pick(decision.bracketIds);
      const rejected = new Set(decision.bracketIds);
      // an alternative left with the base text's wording alone is no alternative any more: the base text stands
      const standing = [...new Set(chosen.filter((b) => b.kind === 'alternative').map((b) => b.group))].flatMap((group) => {
        const left = optionsOf(brackets, group).filter((b) => !rejected.has(b.id));
        return left.length > 0 && left.every((b) => b.delegation === '') ? left : [];
      });
      const after = removeBrackets(deleteBracketed(doc, rejected), new Set(standing.map((b) => b.id)));
      return { doc: after, summary: `rejected ${list(chosen)}${standing.length ? '; the base text stands' : ''}`, brackets: chosen };
    }
    case 'choose': {
      const [option] = pick([decision.optionId]);
      if (option!.kind !== 'alternative') throw new DecisionError(`${describe(option!)} is not an alternative: accept or reject it`);
      const others = optionsOf(brackets, option!.group).filter((b) => b.id !== option!.id);
      const without = deleteBracketed(doc, new Set(others.map((b) => b.id)));
      return {
        doc: removeBrackets(without, new Set([option!.id])),
        // the options set aside stand where the chosen one does: the place is said once
        summary: `chose ${describe(option!)}${others.length ? `; set aside ${list(others.map((b) => (where(b) === where(option!) ? { ...b, provisionLabel: null, section: null } : b)))}` : ''}`,
        brackets: [option!, ...others],
      };
    }
    case 'status':
      return setStatus(doc, decision.provisionId, decision.status, brackets);
  }
}

function list(brackets: Bracket[]): string {
  if (brackets.length <= 2) return brackets.map(describe).join(' and ');
  const by = new Map<string, number>();
  for (const b of brackets) by.set(b.delegation, (by.get(b.delegation) ?? 0) + 1);
  return `${brackets.length} brackets (${[...by].map(([d, n]) => `${ownerOf(d)} ${n}`).join(', ')})`;
}

/** Every text range carrying a bracket mark whose id is in `ids`, with that mark. */
function rangesOf(doc: PMNode, ids: Set<string>): { from: number; to: number; mark: Mark }[] {
  const ranges: { from: number; to: number; mark: Mark }[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const mark of bracketMarks(node.marks)) {
      if (ids.has(attrsOf(mark).id)) ranges.push({ from: pos, to: pos + node.nodeSize, mark });
    }
    return false;
  });
  return ranges;
}

function removeBrackets(doc: PMNode, ids: Set<string>): PMNode {
  const tr = new Transform(doc);
  for (const { from, to, mark } of rangesOf(doc, ids)) tr.removeMark(from, to, mark);
  return tr.doc;
}

/** Deletes the bracketed text, then the provisions, sub-items and sections it left empty. */
function deleteBracketed(doc: PMNode, ids: Set<string>): PMNode {
  const tr = new Transform(doc);
  const ranges = rangesOf(doc, ids).sort((a, b) => b.from - a.from);
  for (const { from, to } of ranges) tr.delete(tr.mapping.map(from), tr.mapping.map(to));
  // Which provisions and sub-items the decision emptied (not those that were empty already).
  const touched = new Set<string>();
  for (const { from } of ranges) {
    const $pos = doc.resolve(from);
    for (let d = $pos.depth; d > 0; d--) {
      const name = $pos.node(d).type.name;
      if (name === 'provision' || name === 'sub_item') touched.add($pos.node(d).attrs.id as string);
    }
  }
  return removeEmptied(tr, touched).doc;
}

function isEmptyItem(node: PMNode): boolean {
  let text = false;
  node.descendants((child) => {
    if (child.isText || child.isAtom) text = true;
    return !text;
  });
  return !text;
}

function removeEmptied(tr: Transform, touched: Set<string>): Transform {
  // Innermost first, from the end, so positions before stay valid.
  const doomed: { from: number; to: number }[] = [];
  tr.doc.descendants((node, pos) => {
    if ((node.type.name === 'provision' || node.type.name === 'sub_item') && touched.has(node.attrs.id as string) && isEmptyItem(node)) {
      doomed.push({ from: pos, to: pos + node.nodeSize });
      return false;
    }
    return true;
  });
  for (const { from, to } of doomed.sort((a, b) => b.from - a.from)) {
    const $from = tr.doc.resolve(from);
    const parent = $from.parent;
    let provisions = 0;
    parent.forEach((child) => child.type.name === 'provision' && provisions++);
    if (parent.type.name === 'section' && provisions === 1) {
      // the section's last provision: the section goes with it (its keyword would stand alone)
      tr.delete($from.before(), $from.after());
    } else {
      tr.delete(from, to);
    }
  }
  return tr;
}

const STATUS_LABEL: Record<ProvisionStatus, string> = { open: 'open', agreed_ad_ref: 'agreed ad referendum', agreed: 'agreed' };

function setStatus(doc: PMNode, provisionId: string, status: ProvisionStatus, brackets: Map<string, Bracket>): DecisionResult {
  if (!PROVISION_STATUSES.includes(status)) throw new DecisionError(`"${String(status)}" is not a provision status; use ${PROVISION_STATUSES.join(', ')}`);
  let found: { node: PMNode; pos: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.type.name === 'provision' && node.attrs.id === provisionId) found = { node, pos };
    return !node.isTextblock;
  });
  if (!found) throw new DecisionError(`there is no provision ${provisionId} in the text any more; reload the document`);
  const { node, pos } = found as { node: PMNode; pos: number };
  if (node.attrs.status === status) throw new DecisionError(`the provision is already ${STATUS_LABEL[status]}`);
  const inside = [...brackets.values()].filter((b) => b.from >= pos && b.to <= pos + node.nodeSize);
  if (status !== 'open' && inside.length) {
    throw new DecisionError(
      `the provision still has ${inside.length} open bracket${inside.length === 1 ? '' : 's'} (${[...new Set(inside.map((b) => ownerOf(b.delegation)))].join(', ')}): accept, reject or choose them first`,
    );
  }
  const label = provisionName(doc, pos);
  const tr = new Transform(doc).setNodeMarkup(pos, undefined, { ...node.attrs, status });
  return { doc: tr.doc, summary: `marked provision ${label} ${STATUS_LABEL[status]}`, brackets: [] };
}

/** "b) of recalling": the provision's computed label and its section's keyword. */
function provisionName(doc: PMNode, pos: number): string {
  const label = labels(doc).get(pos)?.printed ?? '';
  const $pos = doc.resolve(pos);
  const section = $pos.depth > 0 && $pos.parent.type.name === 'section' ? $pos.parent.firstChild?.textContent : null;
  return [label, section && `of ${section}`].filter(Boolean).join(' ');
}
