import type { Node as PMNode } from 'prosemirror-model';
import type { Role } from '../roles.ts';
import { attrsOf, bracketMarks } from './model.ts';
import type { BracketAttrs } from './model.ts';

/**
 * The rules of the negotiation for an edit (ARCHITECTURE.md §2), as one pure function the server runs on
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
  rule: 'status' | 'own-delegation' | 'other-delegation' | 'agreed' | 'read-only' | 'structure' | 'ids';
  /** What the person is told. */
  message: string;
}

/**
 * One broken rule and what putting it right takes back (the server's compensation, GUARD.md):
 * the provisions (or other id-carrying blocks) to restore as they were, the forged brackets to
 * remove, the provision whose status to set back; `blocks` are top-level blocks without an id
 * (a title, a Council paragraph) that hold a broken bracket.
 */
export interface Violation extends Refusal {
  restore: string[];
  blocks: PMNode[];
  strip: string[];
  status: string | null;
}

interface Seen {
  attrs: BracketAttrs;
  text: string;
  /** Ids of the blocks holding it (provisions, numbered paragraphs, sections), or null for a block without one. */
  holders: Set<string | null>;
  /** The top-level blocks holding it. */
  tops: Set<PMNode>;
}

/** Node types whose id names what a compensation puts back: a provision (with its sub-items), a numbered paragraph, a section. */
const HOLDERS = new Set(['provision', 'numbered_paragraph', 'section']);

/** The id of the outermost provision, else the innermost numbered paragraph or section, around a textblock. */
function holderOf(ancestors: readonly PMNode[]): string | null {
  const provision = ancestors.find((n) => n.type.name === 'provision');
  if (provision) return provision.attrs.id as string;
  for (let i = ancestors.length - 1; i >= 0; i--) if (HOLDERS.has(ancestors[i]!.type.name)) return ancestors[i]!.attrs.id as string;
  return null;
}

/**
 * Each bracket's text per id; a stretch of unbracketed text inside it counts as a gap ("\u0000"),
 * so slipping words into the middle of someone's bracket changes it as surely as editing it.
 */
function bracketsIn(nodes: readonly PMNode[]): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  for (const top of nodes) {
    const ancestors: PMNode[] = [];
    const visit = (node: PMNode) => {
      if (!node.isTextblock) {
        ancestors.push(node);
        node.forEach(visit);
        ancestors.pop();
        return;
      }
      const holder = holderOf(ancestors);
      const lastEnd = new Map<string, number>();
      let offset = 0;
      node.forEach((child) => {
        const length = child.isText ? child.text!.length : 1;
        if (child.isText) {
          for (const mark of bracketMarks(child.marks)) {
            const attrs = attrsOf(mark);
            const entry = seen.get(attrs.id);
            const gap = lastEnd.has(attrs.id) && lastEnd.get(attrs.id)! < offset ? '\u0000' : '';
            if (entry) {
              entry.text += gap + child.text!;
              entry.holders.add(holder);
              entry.tops.add(top);
            } else seen.set(attrs.id, { attrs, text: child.text!, holders: new Set([holder]), tops: new Set([top]) });
            lastEnd.set(attrs.id, offset + length);
          }
        }
        offset += length;
      });
    };
    visit(top);
  }
  return seen;
}

/** The text of every block that holds brackets (provision, numbered paragraph, section), by id. */
function holderTexts(nodes: readonly PMNode[]): Map<string, string> {
  const texts = new Map<string, string>();
  const visit = (node: PMNode) => {
    if (HOLDERS.has(node.type.name) && node.attrs.id) texts.set(node.attrs.id as string, node.textContent);
  };
  for (const block of nodes) {
    visit(block);
    block.descendants((node) => (visit(node), !node.isTextblock));
  }
  return texts;
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

const sameAttrs = (a: BracketAttrs, b: BracketAttrs) => a.delegation === b.delegation && a.kind === b.kind && a.group === b.group && a.at === b.at;

const STATUS_WORDS: Record<string, string> = { agreed: 'agreed', agreed_ad_ref: 'agreed ad referendum' };

/** Why this change may not be made by `actor`, or null when it may (the first rule it breaks). */
export function refusal(before: readonly PMNode[], after: readonly PMNode[], actor: Actor): Refusal | null {
  const [first] = violations(before, after, actor);
  return first ? { rule: first.rule, message: first.message } : null;
}

/** Every rule this change breaks when made by `actor`, each with what undoing it takes. */
export function violations(before: readonly PMNode[], after: readonly PMNode[], actor: Actor): Violation[] {
  const found: Violation[] = [];
  const add = (v: Partial<Violation> & Refusal) => found.push({ restore: [], blocks: [], strip: [], status: null, ...v });
  if (actor.role === 'observer') {
    add({ rule: 'read-only', message: 'observers follow the text but cannot change it' });
    return found;
  }
  const provisionsBefore = provisionsIn(before);
  const provisionsAfter = provisionsIn(after);
  for (const [id, node] of provisionsAfter) {
    const previous = provisionsBefore.get(id);
    const status = node.attrs.status as string;
    if ((previous ? (previous.attrs.status as string) : 'open') !== status) {
      add({ rule: 'status', message: 'whether a provision is agreed is decided by the chair, not by editing the text', status: id });
    }
  }
  if (actor.role !== 'delegate') return found;
  const own = actor.delegation ?? '';

  for (const [id, previous] of provisionsBefore) {
    const status = previous.attrs.status as string;
    if (status === 'open') continue;
    const now = provisionsAfter.get(id);
    if (!now?.eq(previous)) {
      add({ rule: 'agreed', message: `this provision is ${STATUS_WORDS[status] ?? status}: only the chair can change it, after reopening it`, restore: [id] });
    }
  }

  const bracketsBefore = bracketsIn(before);
  const bracketsAfter = bracketsIn(after);
  // read only when a bracket attributed to nobody appears or goes: typing never pays for it
  let textsBefore: Map<string, string> | null = null;
  let textsAfter: Map<string, string> | null = null;
  const holdersBefore = () => (textsBefore ??= holderTexts(before));
  const holdersAfter = () => (textsAfter ??= holderTexts(after));
  for (const [id, now] of bracketsAfter) {
    const previous = bracketsBefore.get(id);
    if (previous && sameAttrs(previous.attrs, now.attrs)) continue;
    if (!previous && offersAgainstBase(now, own, bracketsBefore, bracketsAfter, holdersBefore)) continue;
    if (now.attrs.delegation !== own) {
      add({
        rule: 'own-delegation',
        message: `a delegate brackets text for their own delegation (${own}) only, not for ${now.attrs.delegation || 'nobody'}`,
        ...(previous ? holdersToRestore(previous, now) : { strip: [id] }),
      });
    }
  }
  for (const [id, previous] of bracketsBefore) {
    if (previous.attrs.delegation === own) continue;
    const now = bracketsAfter.get(id);
    if (!now && dissolvesOwnGroup(previous, own, bracketsBefore, bracketsAfter, holdersAfter)) continue;
    if (!now || now.text !== previous.text || !sameAttrs(previous.attrs, now.attrs)) {
      add({ rule: 'other-delegation', message: othersBracketMessage(previous.attrs.delegation, 'change or withdraw'), ...holdersToRestore(previous, now) });
    }
  }
  return found;
}

/** Why a delegate may not touch a bracket that is not theirs: another delegation's, or the base text's option. */
export function othersBracketMessage(delegation: string, what: string): string {
  return delegation
    ? `this bracketed text is ${delegation}'s proposal: only ${delegation} or the chair can ${what} it`
    : `this is the base text's wording, one option of an alternative: nobody can ${what} it; the chair's decision sets it aside or keeps it`;
}

const optionsIn = (brackets: Map<string, Seen>, group: string) => [...brackets.values()].filter((b) => b.attrs.kind === 'alternative' && b.attrs.group === group);

/**
 * A delegate offering an alternative to existing words: the words become an option that stays the
 * text's (delegation ''), beside a new option of the delegate's own, in a group that is new. The
 * words must have been in that provision already: nobody can pass new words off as the base text.
 */
function offersAgainstBase(now: Seen, own: string, before: Map<string, Seen>, after: Map<string, Seen>, holdersBefore: () => Map<string, string>): boolean {
  const { kind, delegation, group } = now.attrs;
  if (kind !== 'alternative' || delegation !== '' || !group || now.text.includes('\u0000')) return false;
  if (optionsIn(before, group).length > 0) return false;
  if (!optionsIn(after, group).some((b) => b.attrs.delegation === own && !before.has(b.attrs.id))) return false;
  return [...now.holders].every((holder) => holder !== null && (holdersBefore().get(holder) ?? '').includes(now.text));
}

/**
 * A delegate withdrawing the last options of their own beside the base text's: the group dissolves
 * and the base option's words stay, as plain text, in the provision.
 */
function dissolvesOwnGroup(previous: Seen, own: string, before: Map<string, Seen>, after: Map<string, Seen>, holdersAfter: () => Map<string, string>): boolean {
  const { kind, delegation, group } = previous.attrs;
  if (kind !== 'alternative' || delegation !== '' || !group) return false;
  if (optionsIn(after, group).length > 0) return false;
  const options = optionsIn(before, group);
  if (!options.some((b) => b.attrs.delegation === own) || !options.every((b) => b.attrs.delegation === own || b.attrs.delegation === '')) return false;
  return [...previous.holders].every((holder) => holder !== null && (holdersAfter().get(holder) ?? '').includes(previous.text.replaceAll('\u0000', '')));
}

/** A bracket changed: put back every block that held it, before and after the change. */
export function bracketHolders(id: string, before: readonly PMNode[], after: readonly PMNode[]): Pick<Violation, 'restore' | 'blocks'> {
  return holdersToRestore(bracketsIn(before).get(id), bracketsIn(after).get(id));
}

function holdersToRestore(...seen: (Seen | undefined)[]): Pick<Violation, 'restore' | 'blocks'> {
  const restore = new Set<string>();
  const blocks = new Set<PMNode>();
  for (const entry of seen) {
    if (!entry) continue;
    for (const holder of entry.holders) if (holder) restore.add(holder);
    if (entry.holders.has(null)) for (const top of entry.tops) blocks.add(top);
  }
  return { restore: [...restore], blocks: [...blocks] };
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
