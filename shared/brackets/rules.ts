import type { Node as PMNode } from 'prosemirror-model';
import type { Role } from '../roles.ts';
import { attrsOf, bracketMarks } from './model.ts';
import type { BracketAttrs } from './model.ts';

/**
 * The rules of the negotiation for an edit (DESIGN.md §5), as one pure function the server runs on
 * every incoming Yjs update and the editor runs on every local change before sending it:
 * - statuses of provisions (open, agreed ad ref, agreed) change only by the chair's decisions,
 *   which the server writes itself — never through an edit, whoever sends it;
 * - a delegate brackets for their own delegation only, and cannot change or withdraw another
 *   delegation's bracket (its text or its attributes);
 * - a delegate cannot change or delete an agreed provision.
 * It compares the blocks an edit changed, before and after: unchanged blocks need no look.
 */
export interface Actor {
  role: Role;
  /** The delegation a delegate speaks for; null for officers. */
  delegation: string | null;
}

export interface Refusal {
  /** Short name of the rule, for logs and tests. */
  rule: 'status' | 'own-delegation' | 'other-delegation' | 'agreed' | 'read-only';
  /** What the person is told. */
  message: string;
}

interface Seen {
  attrs: BracketAttrs;
  text: string;
}

/**
 * Each bracket's text per id; a stretch of unbracketed text inside it counts as a gap ("\u0000"),
 * so slipping words into the middle of someone's bracket changes it as surely as editing it.
 */
function bracketsIn(nodes: readonly PMNode[]): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  for (const block of nodes) {
    block.descendants((node) => {
      if (!node.isTextblock) return true;
      const lastEnd = new Map<string, number>();
      let offset = 0;
      node.forEach((child) => {
        const length = child.isText ? child.text!.length : 1;
        if (child.isText) {
          for (const mark of bracketMarks(child.marks)) {
            const attrs = attrsOf(mark);
            const entry = seen.get(attrs.id);
            const gap = lastEnd.has(attrs.id) && lastEnd.get(attrs.id)! < offset ? '\u0000' : '';
            if (entry) entry.text += gap + child.text!;
            else seen.set(attrs.id, { attrs, text: child.text! });
            lastEnd.set(attrs.id, offset + length);
          }
        }
        offset += length;
      });
      return false;
    });
  }
  return seen;
}

function provisionsIn(nodes: readonly PMNode[]): Map<string, PMNode> {
  const found = new Map<string, PMNode>();
  for (const block of nodes) {
    const visit = (node: PMNode) => {
      if (node.type.name === 'provision' && node.attrs.id) found.set(node.attrs.id as string, node);
    };
    visit(block);
    block.descendants((node) => {
      visit(node);
      return node.type.name !== 'provision' && !node.isTextblock;
    });
  }
  return found;
}

const sameAttrs = (a: BracketAttrs, b: BracketAttrs) =>
  a.delegation === b.delegation && a.kind === b.kind && a.group === b.group && a.at === b.at;

const STATUS_WORDS: Record<string, string> = { agreed: 'agreed', agreed_ad_ref: 'agreed ad referendum' };

/** Why this change may not be made by `actor`, or null when it may. */
export function refusal(before: readonly PMNode[], after: readonly PMNode[], actor: Actor): Refusal | null {
  if (actor.role === 'observer') return { rule: 'read-only', message: 'observers follow the text but cannot change it' };
  const provisionsBefore = provisionsIn(before);
  const provisionsAfter = provisionsIn(after);
  for (const [id, node] of provisionsAfter) {
    const previous = provisionsBefore.get(id);
    const status = node.attrs.status as string;
    if ((previous ? (previous.attrs.status as string) : 'open') !== status) {
      return { rule: 'status', message: 'whether a provision is agreed is decided by the chair, not by editing the text' };
    }
  }
  if (actor.role !== 'delegate') return null;
  const own = actor.delegation ?? '';

  for (const [id, previous] of provisionsBefore) {
    const status = previous.attrs.status as string;
    if (status === 'open') continue;
    const now = provisionsAfter.get(id);
    if (!now || !now.eq(previous)) {
      return { rule: 'agreed', message: `this provision is ${STATUS_WORDS[status] ?? status}: only the chair can change it, after reopening it` };
    }
  }

  const bracketsBefore = bracketsIn(before);
  const bracketsAfter = bracketsIn(after);
  for (const [id, now] of bracketsAfter) {
    const previous = bracketsBefore.get(id);
    if (previous && sameAttrs(previous.attrs, now.attrs)) continue;
    if (now.attrs.delegation !== own) {
      return {
        rule: 'own-delegation',
        message: `a delegate brackets text for their own delegation (${own}) only, not for ${now.attrs.delegation || 'nobody'}`,
      };
    }
  }
  for (const [id, previous] of bracketsBefore) {
    if (previous.attrs.delegation === own) continue;
    const now = bracketsAfter.get(id);
    if (!now || now.text !== previous.text || !sameAttrs(previous.attrs, now.attrs)) {
      const who = previous.attrs.delegation;
      return { rule: 'other-delegation', message: `this bracketed text is ${who}'s proposal: only ${who} or the chair can change or withdraw it` };
    }
  }
  return null;
}

/** The top-level blocks a change replaced: those of `before` not in `after`, and the reverse (nodes are shared when unchanged). */
export function changedBlocks(before: PMNode, after: PMNode): { before: PMNode[]; after: PMNode[] } {
  const kept = new Set<PMNode>();
  after.forEach((node) => kept.add(node));
  const old = new Set<PMNode>();
  const removed: PMNode[] = [];
  before.forEach((node) => {
    old.add(node);
    if (!kept.has(node)) removed.push(node);
  });
  const added: PMNode[] = [];
  after.forEach((node) => {
    if (!old.has(node)) added.push(node);
  });
  return { before: removed, after: added };
}
