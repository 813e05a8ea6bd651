import { TextSelection } from 'prosemirror-state';
import type { Command, EditorState, Plugin } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { h } from '../app/dom.ts';
import { collectBrackets, ownerOf } from '../../shared/brackets/model.ts';
import { labels } from '../../shared/numbering.ts';
import { openThreadAnchors } from '../threads/threads-panel.ts';
import { bindingsFor } from './shortcuts.ts';

/**
 * Going from one open bracket (or comment thread) to the next, as the chair and the delegations
 * do when they go through a text: the caret goes to where it starts, the text scrolls it into view
 * clear of the sticky toolbar (the editor's scroll margin), and where it is is said aloud —
 * "Bracket 3 of 7: Kenya, in b) of recalling". After the last comes the first again.
 */
export type Target = 'bracket' | 'thread';

interface Stop {
  from: number;
  who: string;
}

/** Each open question once, as the Proposals panel counts them: a bracket, or an alternatives group at its first option. */
function bracketStops(doc: PMNode): Stop[] {
  const found: Stop[] = [];
  const groups = new Map<string, Stop & { owners: string[] }>();
  for (const b of collectBrackets(doc).values()) {
    if (b.kind !== 'alternative' || !b.group) {
      found.push({ from: b.from, who: ownerOf(b.delegation) });
      continue;
    }
    const group = groups.get(b.group) ?? { from: b.from, who: '', owners: [] };
    group.from = Math.min(group.from, b.from);
    group.owners.push(ownerOf(b.delegation));
    groups.set(b.group, group);
  }
  for (const group of groups.values()) found.push({ from: group.from, who: group.owners.map((owner, i) => `Alt ${i + 1} ${owner}`).join(' / ') });
  return found;
}

function stops(state: EditorState, target: Target): Stop[] {
  const found = target === 'bracket' ? bracketStops(state.doc) : openThreadAnchors(state).map((t) => ({ from: t.from, who: t.owner }));
  return found.sort((a, b) => a.from - b.from);
}

/** "b) of recalling", "1.1 of resolves", "recalling", or null outside the sections. */
function placeAt(doc: PMNode, pos: number): string | null {
  const $pos = doc.resolve(pos);
  const computed = labels(doc);
  const parts: string[] = [];
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (node.type.name === 'provision' || node.type.name === 'sub_item') {
      const label = computed.get($pos.before(depth))?.printed;
      // "1.1" says which provision it is in already
      if (label && !(parts.length > 0 && parts.at(-1)!.startsWith(label))) parts.push(label);
    } else if (node.type.name === 'section') {
      const keyword = node.firstChild?.textContent.trim();
      if (keyword) parts.push(keyword);
      break;
    }
  }
  return parts.length > 0 ? parts.join(' of ') : null;
}

const NOUN: Record<Target, [string, string]> = { bracket: ['Bracket', 'open brackets'], thread: ['Thread', 'open comment threads'] };

/**
 * Moves the caret to the next (1) or previous (-1) bracket or thread and answers what to say:
 * "Bracket 3 of 7: Kenya, in b) of recalling", or that there is none.
 */
export function goTo(view: EditorView, target: Target, direction: 1 | -1): string {
  const all = stops(view.state, target);
  if (all.length === 0) return `There are no ${NOUN[target][1]} in the text.`;
  const head = view.state.selection.head;
  const ahead = all.findIndex((s) => s.from > head);
  const behind = all.filter((s) => s.from < head).length - 1;
  let index = direction === 1 ? ahead : behind;
  if (index < 0) index = direction === 1 ? 0 : all.length - 1;
  const stop = all[index]!;
  view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(stop.from))).scrollIntoView());
  view.focus();
  const where = placeAt(view.state.doc, stop.from);
  return `${NOUN[target][0]} ${index + 1} of ${all.length}: ${stop.who}${where ? `, ${target === 'bracket' ? 'in' : 'on'} ${where}` : ''}`;
}

/** The page's one polite live region for where the caret went (screen readers say it once). */
let region: HTMLElement | null = null;
export function announce(message: string): void {
  if (!region?.isConnected) {
    region = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  region.textContent = message;
}

const move =
  (target: Target, direction: 1 | -1): Command =>
  (_state, dispatch, view) => {
    if (!view) return false;
    if (dispatch) announce(goTo(view, target, direction));
    return true;
  };

/** The keys of the shortcuts table for going from bracket to bracket and thread to thread. */
export function navigationKeymap(): Plugin {
  return keymap(
    bindingsFor({
      'next-bracket': move('bracket', 1),
      'previous-bracket': move('bracket', -1),
      'next-thread': move('thread', 1),
      'previous-thread': move('thread', -1),
    }),
  );
}
