import { Plugin, PluginKey } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { Decoration, DecorationSet } from 'prosemirror-view';

/**
 * Keeps the words a tool acts on highlighted while the tool's field has the focus: the browser
 * stops showing the editor's selection once the focus leaves the text, and the delegate typing an
 * alternative must still see which words it stands against. Display only, mapped through edits.
 */
const key = new PluginKey<DecorationSet>('held-selection');

export function heldSelectionPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, held) {
        const meta = tr.getMeta(key) as { from: number; to: number } | null | undefined;
        if (meta === null) return DecorationSet.empty;
        if (meta) return DecorationSet.create(tr.doc, [Decoration.inline(meta.from, meta.to, { class: 'held-selection' })]);
        return held.map(tr.mapping, tr.doc);
      },
    },
    props: { decorations: (state) => key.getState(state) },
  });
}

/** Highlights the current selection until `releaseSelection` (nothing when it is empty). */
export function holdSelection(view: EditorView): void {
  const { from, to, empty } = view.state.selection;
  view.dispatch(view.state.tr.setMeta(key, empty ? null : { from, to }));
}

export function releaseSelection(view: EditorView): void {
  if (!view.isDestroyed && key.getState(view.state) !== DecorationSet.empty) view.dispatch(view.state.tr.setMeta(key, null));
}
