import { Plugin, PluginKey } from 'prosemirror-state';
import type { EditorState } from 'prosemirror-state';
import type { Node as PMNode, ResolvedPos } from 'prosemirror-model';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { EditorView } from 'prosemirror-view';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from 'y-prosemirror';
import { asParticipant } from '../app/participant.ts';

/**
 * "Where the chair is": the chair's client publishes, in its awareness state, the provision its
 * caret is in (field `provision`: a Yjs relative position at the provision's start, so it survives
 * everyone's concurrent edits, and kept after the editor loses focus, unlike the caret). Every
 * other client finds that provision in its own copy of the text, marks it (`is-chair-current`,
 * shown strongly in the chair's screen mode) and, when following, scrolls it into view.
 *
 * The server stamps each awareness state's `user` from the session (server/collab/connection.ts),
 * and a connection may only write the states of its own client ids; so a `provision` field is
 * trusted only from a state whose stamped role is chair: a delegate cannot steer the room.
 */
export const PROVISION_FIELD = 'provision';

/** The block one "is in": the innermost provision, sub-item or list item, else the text block itself. */
const BLOCKS = new Set(['provision', 'sub_item', 'list_item']);

export function currentBlock($pos: ResolvedPos): { pos: number; node: PMNode } | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (BLOCKS.has(node.type.name)) return { pos: $pos.before(depth), node };
  }
  if ($pos.depth > 0 && $pos.parent.isTextblock) return { pos: $pos.before($pos.depth), node: $pos.parent };
  return null;
}

/**
 * The provision a participant's awareness state announces, if that state is the chair's: the role
 * is the one the server stamped on the state, never the client's claim. Null for anyone else.
 */
export function publishedByChair(state: Record<string, unknown> | undefined): { at: unknown } | null {
  if (!state || asParticipant(state.user)?.role !== 'chair') return null;
  const published = state[PROVISION_FIELD];
  if (!published || typeof published !== 'object' || !('at' in published)) return null;
  return published as { at: unknown };
}

export interface ChairPlace {
  /** Start of the chair's current block in this client's document. */
  pos: number;
  /** The awareness client publishing it (several chair tabs: the one that moved last). */
  clientId: number;
}

interface FollowPluginState {
  place: ChairPlace | null;
  decorations: DecorationSet;
}

export const followKey = new PluginKey<FollowPluginState>('follow');

export interface FollowOptions {
  awareness: Awareness;
  /** This client is the chair's: it publishes its place while the chair works in it. */
  isChair: boolean;
  /** Told after every change of the chair's place (or of the text around it). */
  onPlace?: (view: EditorView, place: ChairPlace | null) => void;
}

function decorationsFor(doc: PMNode, place: ChairPlace | null): DecorationSet {
  if (!place) return DecorationSet.empty;
  const node = doc.nodeAt(place.pos);
  if (!node) return DecorationSet.empty;
  return DecorationSet.create(doc, [Decoration.node(place.pos, place.pos + node.nodeSize, { class: 'is-chair-current' })]);
}

function binding(state: EditorState): { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<unknown, unknown> } | null {
  const ystate = ySyncPluginKey.getState(state) as { doc: Y.Doc; type: Y.XmlFragment; binding: { mapping: Map<unknown, unknown> } } | undefined;
  if (!ystate?.binding || ystate.binding.mapping.size === 0) return null;
  return { doc: ystate.doc, type: ystate.type, mapping: ystate.binding.mapping };
}

/** Where a chair's published provision is in this client's text, or null. */
function resolvePublished(state: EditorState, published: unknown): number | null {
  const y = binding(state);
  if (!y || !published || typeof published !== 'object') return null;
  const at = (published as { at?: unknown }).at;
  if (!at || typeof at !== 'object') return null;
  let pos: number | null;
  try {
    pos = relativePositionToAbsolutePosition(y.doc, y.type, Y.createRelativePositionFromJSON(at), y.mapping as never);
  } catch {
    return null;
  }
  if (pos === null || pos < 0 || pos > state.doc.content.size) return null;
  return currentBlock(state.doc.resolve(pos))?.pos ?? null;
}

export function followPlugin(options: FollowOptions): Plugin<FollowPluginState> {
  const { awareness, isChair } = options;
  /** Chair clients in the order they last moved: the last one is followed. */
  let chairs: number[] = [];

  const locate = (state: EditorState): ChairPlace | null => {
    for (let i = chairs.length - 1; i >= 0; i--) {
      const clientId = chairs[i]!;
      if (clientId === awareness.clientID) {
        const block = currentBlock(state.selection.$from);
        if (block) return { pos: block.pos, clientId };
        continue;
      }
      const pos = resolvePublished(state, publishedByChair(awareness.getStates().get(clientId)));
      if (pos !== null) return { pos, clientId };
    }
    return null;
  };

  return new Plugin<FollowPluginState>({
    key: followKey,
    state: {
      init: () => ({ place: null, decorations: DecorationSet.empty }),
      apply(tr, previous, _old, state) {
        const refresh = tr.getMeta(followKey) === 'refresh';
        if (!refresh && !tr.docChanged && !tr.selectionSet) return previous;
        const place = locate(state);
        if (!refresh && place?.pos === previous.place?.pos && place?.clientId === previous.place?.clientId && !tr.docChanged) return previous;
        return { place, decorations: decorationsFor(state.doc, place) };
      },
    },
    props: {
      decorations: (state) => followKey.getState(state)?.decorations,
    },
    view(view) {
      const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        let moved = false;
        for (const id of [...added, ...updated]) {
          const state = awareness.getStates().get(id);
          if (id === awareness.clientID || !publishedByChair(state)) continue;
          chairs = [...chairs.filter((c) => c !== id), id];
          moved = true;
        }
        for (const id of removed) {
          if (!chairs.includes(id)) continue;
          chairs = chairs.filter((c) => c !== id);
          moved = true;
        }
        if (moved && !view.isDestroyed) view.dispatch(view.state.tr.setMeta(followKey, 'refresh').setMeta('addToHistory', false));
      };
      awareness.on('change', onChange);
      // Chairs already in the room when the editor starts.
      queueMicrotask(() => onChange({ added: [...awareness.getStates().keys()], updated: [], removed: [] }));

      /**
       * A chair's client publishes the block holding its caret when it changes — not on every key,
       * nor when edits above merely shift it (a provision is known by its id) — and only while the
       * chair works in it (the editor has focus): a projector tab logged in as the chair, which
       * nobody touches, follows the chair's laptop instead of announcing its own idle caret.
       */
      let publishedKey = '';
      const publish = (v: EditorView) => {
        if (!isChair || !v.hasFocus()) return;
        const block = currentBlock(v.state.selection.$from);
        if (!block) return;
        const place = { pos: block.pos };
        const node = block.node;
        const key = node?.attrs.id ? `id:${String(node.attrs.id)}` : `pos:${place.pos}`;
        if (key === publishedKey) return;
        const y = binding(v.state);
        if (!y) return; // not bound to the shared text yet
        const at = absolutePositionToRelativePosition(place.pos + 1, y.type, y.mapping as never);
        awareness.setLocalStateField(PROVISION_FIELD, { at: Y.relativePositionToJSON(at) });
        publishedKey = key;
        if (chairs[chairs.length - 1] !== awareness.clientID) {
          chairs = [...chairs.filter((c) => c !== awareness.clientID), awareness.clientID];
          queueMicrotask(() => !v.isDestroyed && v.dispatch(v.state.tr.setMeta(followKey, 'refresh').setMeta('addToHistory', false)));
        }
      };

      let last: ChairPlace | null = null;
      let lastDoc: PMNode | null = null;
      const update = (v: EditorView) => {
        publish(v);
        const place = followKey.getState(v.state)?.place ?? null;
        if (place?.pos === last?.pos && place?.clientId === last?.clientId && v.state.doc === lastDoc) return;
        last = place;
        lastDoc = v.state.doc;
        options.onPlace?.(v, place);
      };
      update(view);
      const onFocus = () => publish(view);
      view.dom.addEventListener('focus', onFocus);
      return {
        update,
        destroy() {
          view.dom.removeEventListener('focus', onFocus);
          awareness.off('change', onChange);
          if (isChair && awareness.getLocalState()) awareness.setLocalStateField(PROVISION_FIELD, null);
        },
      };
    },
  });
}

/** The element drawing the chair's current block in this view, if any. */
export function placeElement(view: EditorView, place: ChairPlace | null): HTMLElement | null {
  if (!place) return null;
  const dom = view.nodeDOM(place.pos);
  return dom instanceof HTMLElement ? dom : null;
}
