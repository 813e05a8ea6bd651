import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { ySyncPlugin, yCursorPlugin, yUndoPlugin } from 'y-prosemirror';
import { keepTypingPlugin } from './keep-typing.ts';
import { schema } from '../../shared/schema/index.ts';
import { buildCursor, buildSelection, cursorLabelsPlugin } from './cursors.ts';
import { editorKeymaps } from './keymap.ts';
import { layoutPlugin } from './layout-decorations.ts';
import { toolbarPlugin } from './toolbar.ts';
import type { ToolGroup } from './toolbar.ts';
import type { Plugin } from 'prosemirror-state';
import type { ProposalPanelOptions } from './proposal-panel.ts';
import { revisionPlugin } from './revision-decorations.ts';
import { outlinePlugin } from './outline.ts';
import { proposalPanelPlugin } from './proposal-panel.ts';

/**
 * The ProseMirror editor bound to the shared text: ySyncPlugin keeps the view and the Y.XmlFragment
 * in step, yCursorPlugin shows the other participants' carets, yUndoPlugin undoes only our own edits.
 */
export interface EditorOptions {
  /** Where the editable text goes. */
  mount: HTMLElement;
  /** Where the toolbar goes (omitted for read-only participants). */
  toolbarMount?: HTMLElement;
  /** Where the outline and the provision panel go (beside the text). */
  outlineMount?: HTMLElement;
  proposalMount?: HTMLElement;
  proposalOptions?: ProposalPanelOptions;
  /** More plugins (brackets, proposals) and toolbar tools. */
  plugins?: Plugin[];
  toolbarExtras?: ToolGroup[];
  fragment: Y.XmlFragment;
  awareness: Awareness;
  /** Accessible name of the text area, e.g. "Text of CWG-AI/2". */
  label: string;
  /** Whether typing is allowed now; asked again on every update (observers: never). */
  editable: () => boolean;
}

export function createEditor(options: EditorOptions): EditorView {
  const plugins = [
    ySyncPlugin(options.fragment),
    // what this participant types is retyped where another delegation's Tab, join or split moved its text
    keepTypingPlugin(options.fragment),
    yCursorPlugin(options.awareness, { cursorBuilder: buildCursor, selectionBuilder: buildSelection }),
    cursorLabelsPlugin(options.awareness),
    yUndoPlugin(),
    layoutPlugin(),
    revisionPlugin(),
    ...(options.plugins ?? []),
    ...editorKeymaps(),
  ];
  if (options.toolbarMount) plugins.push(toolbarPlugin(options.toolbarMount, options.toolbarExtras));
  if (options.proposalMount) plugins.push(proposalPanelPlugin(options.proposalMount, options.proposalOptions));
  if (options.outlineMount) plugins.push(outlinePlugin(options.outlineMount));
  return new EditorView(options.mount, {
    state: EditorState.create({ schema, plugins }),
    editable: options.editable,
    // y-prosemirror dispatches awareness updates from a timer, and does not notice when the view was
    // destroyed meanwhile (as when the page reloads the text after a refusal): ignore them then.
    dispatchTransaction(this: EditorView, tr) {
      if (!this.isDestroyed) this.updateState(this.state.apply(tr));
    },
    // keep what the cursor moves to clear of the sticky header and toolbar
    scrollMargin: { top: 160, bottom: 60, left: 0, right: 0 },
    scrollThreshold: { top: 160, bottom: 60, left: 0, right: 0 },
    attributes: () => ({
      id: 'document-text',
      class: 'itu-text',
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': options.label,
      'aria-readonly': String(!options.editable()),
      spellcheck: 'true',
      lang: 'en',
    }),
  });
}
