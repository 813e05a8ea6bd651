import { Plugin, PluginKey, TextSelection } from 'prosemirror-state';
import type { EditorState, Transaction } from 'prosemirror-state';
import { Fragment, Slice } from 'prosemirror-model';
import type { Mark, Node as PMNode } from 'prosemirror-model';
import { Decoration, DecorationSet } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { attrsOf, bracketMarks, collectBrackets, ownerOf } from '../../shared/brackets/model.ts';
import type { Bracket } from '../../shared/brackets/model.ts';
import { changedBlocks, refusal } from '../../shared/brackets/rules.ts';
import type { Actor } from '../../shared/brackets/rules.ts';
import { newId } from '../../shared/ids.ts';
import { safeColor } from '../app/dom.ts';
import { OFFICER_COLOR } from '../../shared/colors.ts';

/**
 * Square brackets in the editor:
 * - drawn as `[` … `]` in the proposing delegation's colour with its name written small at the
 *   opening bracket (colour is never the only cue), its kind and age on hover;
 *   alternatives as one bracket with numbered options ("Alt 1 … / Alt 2 …");
 * - the rules of the negotiation checked on every local change before it is sent
 *   (shared/brackets/rules.ts, the same function the server runs), with the reason shown;
 * - typing at the end of one's own bracket continues it; pasted text keeps no one else's
 *   brackets and gets fresh ids.
 */
export interface BracketContext {
  actor: Actor;
  /** The delegation new brackets are attributed to now (the secretariat chooses). */
  bracketAs(): string;
  /** Colour of a delegation's brackets. */
  colorOf(delegation: string): string;
  /** Tells the user why a change was not made. */
  refuse(message: string): void;
}

export const bracketsKey = new PluginKey<DecorationSet>('brackets');

const KIND_LABEL: Record<string, string> = { contested: 'bracketed', awaiting: 'awaiting instructions', alternative: 'alternative' };

function age(at: string): string {
  const ms = Date.now() - Date.parse(at);
  if (!Number.isFinite(ms)) return '';
  const minutes = Math.round(ms / 60000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

export function describeBracket(b: Bracket): string {
  return `${ownerOf(b.delegation)} · ${KIND_LABEL[b.kind] ?? b.kind}${b.at ? ` · proposed ${age(b.at)}` : ''}`;
}

function widget(text: string, color: string, className: string, title: string, who?: { name: string; after: string }): () => HTMLElement {
  return () => {
    const span = document.createElement('span');
    span.className = className;
    span.textContent = text;
    span.style.color = color;
    span.title = title;
    span.setAttribute('aria-hidden', 'true');
    // The delegation's name is written at every opening bracket: colour is never the only cue.
    if (who) {
      const name = document.createElement('span');
      name.className = 'bracket-who';
      name.textContent = who.name;
      span.append(name, who.after);
    }
    return span;
  };
}

function decorate(doc: PMNode, context: BracketContext): DecorationSet {
  const brackets = [...collectBrackets(doc).values()];
  if (brackets.length === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  const groups = new Map<string, Bracket[]>();
  for (const b of brackets) {
    if (b.kind === 'alternative' && b.group) groups.set(b.group, [...(groups.get(b.group) ?? []), b]);
  }
  // Openings: outer (longer) first; closings: inner first.
  const openings = [...brackets].sort((a, b) => a.from - b.from || b.to - a.to);
  for (const b of openings) {
    const color = safeColor(context.colorOf(b.delegation));
    const title = describeBracket(b);
    if (b.kind === 'alternative' && b.group) {
      const options = groups.get(b.group)!.sort((x, y) => x.from - y.from);
      const index = options.indexOf(b);
      const first = index === 0;
      decorations.push(
        Decoration.widget(b.from, widget(first ? '[Alt 1' : ` / Alt ${index + 1}`, color, 'bracket-mark bracket-option', title, { name: ownerOf(b.delegation), after: ': ' }), {
          side: 1,
          key: `o:${b.id}:${index}:${color}`,
        }),
      );
    } else {
      decorations.push(
        Decoration.widget(b.from, widget(b.kind === 'awaiting' ? '[?' : '[', color, 'bracket-mark bracket-open', title, { name: ownerOf(b.delegation), after: b.kind === 'awaiting' ? ' ' : '' }), {
          side: 1,
          key: `[:${b.id}:${color}:${b.kind}`,
        }),
      );
    }
  }
  const closings = [...brackets].sort((a, b) => a.to - b.to || b.from - a.from);
  for (const b of closings) {
    const color = safeColor(context.colorOf(b.delegation));
    if (b.kind === 'alternative' && b.group) {
      const options = groups.get(b.group)!;
      if (options[options.length - 1] !== b) continue;
    }
    decorations.push(Decoration.widget(b.to, widget(']', color, 'bracket-mark bracket-close', describeBracket(b)), { side: -1, key: `]:${b.id}:${color}` }));
  }
  // The bracketed text itself: tinted, with who proposed it on hover.
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    const marks = bracketMarks(node.marks);
    if (marks.length === 0) return false;
    const innermost = attrsOf(marks[marks.length - 1]!);
    const color = safeColor(context.colorOf(innermost.delegation));
    decorations.push(
      Decoration.inline(pos, pos + node.nodeSize, {
        class: `bracketed bracketed-${innermost.kind}${marks.length > 1 ? ' bracketed-nested' : ''}`,
        style: `text-decoration-color: ${color}; background-color: ${color}14`,
        title: marks.map((m) => `${ownerOf(attrsOf(m).delegation)} · ${KIND_LABEL[attrsOf(m).kind] ?? ''}`).join(' › '),
      }),
    );
    return false;
  });
  return DecorationSet.create(doc, decorations);
}

/** Whether a transaction is a local edit (not the shared document arriving or being synced). */
function isLocalEdit(tr: Transaction): boolean {
  return tr.docChanged && !tr.getMeta(ySyncPluginKey);
}

/** Pasted content: no one else's brackets (for delegates), fresh ids for provisions, sections and brackets. */
function freshen(fragment: Fragment, context: BracketContext, ids: Map<string, string>): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) {
      const marks = node.marks
        .filter((m) => m.type.name !== 'bracket' || context.actor.role !== 'delegate' || attrsOf(m).delegation === context.actor.delegation)
        .map((m): Mark => {
          if (m.type.name !== 'bracket') return m;
          const id = ids.get(attrsOf(m).id) ?? newId('b');
          ids.set(attrsOf(m).id, id);
          const group = attrsOf(m).group ? (ids.get(attrsOf(m).group) ?? newId('g')) : '';
          if (group) ids.set(attrsOf(m).group, group);
          return m.type.create({ ...m.attrs, id, group });
        });
      nodes.push(node.mark(marks));
      return;
    }
    const attrs =
      'id' in node.attrs && node.attrs.id ? { ...node.attrs, id: newId(node.type.name === 'section' ? 's' : 'p'), ...(node.type.name === 'provision' ? { status: 'open' } : {}) } : node.attrs;
    nodes.push(node.type.create(attrs, freshen(node.content, context, ids), node.marks));
  });
  return Fragment.from(nodes);
}

export function bracketsPlugin(context: BracketContext): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: bracketsKey,
    state: {
      init: (_, state) => decorate(state.doc, context),
      apply: (tr, previous, _old, state) => (tr.docChanged ? decorate(state.doc, context) : previous),
    },
    filterTransaction(tr: Transaction, state: EditorState) {
      if (!isLocalEdit(tr)) return true;
      const { before, after } = changedBlocks(state.doc, tr.doc);
      const refused = refusal(before, after, context.actor);
      if (refused) context.refuse(refused.message);
      return refused === null;
    },
    props: {
      decorations: (state) => bracketsKey.getState(state),
      // Typing right after one's own bracket continues it (brackets are not inclusive, so that
      // typing after someone else's does not land inside theirs).
      handleTextInput(view, from, to, text) {
        const { state } = view;
        const $from = state.doc.resolve(from);
        const own = context.bracketAs();
        const before = bracketMarks($from.nodeBefore?.marks ?? []).filter((m) => attrsOf(m).delegation === own && attrsOf(m).kind !== 'alternative');
        if (before.length === 0) return false;
        let marks = state.storedMarks ?? (from === to ? $from.marks() : ($from.marksAcross(state.doc.resolve(to)) ?? []));
        const missing = before.filter((m) => !m.isInSet(marks));
        if (missing.length === 0) return false;
        for (const m of missing) marks = m.addToSet(marks);
        const tr = state.tr.replaceWith(from, to, schema.text(text, marks));
        view.dispatch(tr.setSelection(TextSelection.create(tr.doc, from + text.length)).scrollIntoView());
        return true;
      },
      transformPasted: (slice) => new Slice(freshen(slice.content, context, new Map()), slice.openStart, slice.openEnd),
    },
  });
}

export const bracketColor = (delegations: Map<string, string>) => (name: string) => delegations.get(name) ?? OFFICER_COLOR;
