import { NodeSelection, Plugin } from 'prosemirror-state';
import type { Command, EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { h } from '../app/dom.ts';
import { schema } from '../../shared/schema/index.ts';
import type { ToolGroup } from './toolbar.ts';
import { bindingsFor, shortcutLabel } from './shortcuts.ts';
import { wordingPopover } from './wording-popover.ts';

/**
 * Footnotes typed in the editor, as ITU texts have them: inserted at the caret with their text
 * asked for in a popover beside it; the text shows its number (computed from its place,
 * layout-decorations.ts) and, on hover or when the footnote is selected, its text; clicking a
 * footnote (or its key on a selected one) lets an editor change its text. The negotiation's rules
 * apply to it as to any edit (not in an agreed provision, not in another delegation's bracket).
 */
export interface FootnoteTools {
  toolGroup: ToolGroup;
  plugin: Plugin;
  keymap: Plugin;
  destroy(): void;
}

const footnote = schema.nodes.footnote!;

/** Whether a footnote may stand at the end of the selection. */
function canInsert(state: EditorState): boolean {
  const $to = state.selection.$to;
  return $to.parent.inlineContent && $to.parent.canReplaceWith($to.index(), $to.index(), footnote);
}

function selectedFootnote(state: EditorState): { pos: number; text: string } | null {
  const { selection } = state;
  return selection instanceof NodeSelection && selection.node.type === footnote ? { pos: selection.from, text: selection.node.attrs.text as string } : null;
}

export function footnoteTools(): FootnoteTools {
  const popover = wordingPopover('footnote-input');

  const ask = (view: EditorView, value: string, done: (text: string) => void, editing: boolean) =>
    popover.open(view, {
      title: editing ? 'Change the footnote' : 'Insert a footnote',
      label: 'Text of the footnote',
      placeholder: 'e.g. Resolution 70/1 of the UNGA, paragraph 9',
      action: editing ? 'Save' : 'Insert',
      value,
      submit(text) {
        if (!text.trim()) {
          popover.say('Type the text of the footnote.');
          return false;
        }
        done(text.trim());
        return true;
      },
    });

  const insert = (view: EditorView) =>
    ask(
      view,
      '',
      (text) => {
        const at = view.state.selection.to;
        // no marks from the text around it: a footnote is nobody's bracketed words
        view.dispatch(view.state.tr.insert(at, footnote.create({ text })).scrollIntoView());
      },
      false,
    );
  const edit = (view: EditorView, pos: number, text: string) => {
    if (!(view.state.selection instanceof NodeSelection) || view.state.selection.from !== pos) {
      view.dispatch(view.state.tr.setSelection(NodeSelection.create(view.state.doc, pos)));
    }
    ask(
      view,
      text,
      (changed) => {
        const node = view.state.doc.nodeAt(pos);
        if (node?.type === footnote && node.attrs.text !== changed) view.dispatch(view.state.tr.setNodeMarkup(pos, undefined, { ...node.attrs, text: changed }));
      },
      true,
    );
  };

  const command: Command = (state, dispatch, view) => {
    if (!view?.editable) return false;
    const selected = selectedFootnote(state);
    if (!selected && !canInsert(state)) return false;
    if (dispatch) {
      if (selected) edit(view, selected.pos, selected.text);
      else insert(view);
    }
    return true;
  };

  const toolGroup: ToolGroup = (view) => {
    const label = `Insert a footnote at the caret (${shortcutLabel('footnote')})`;
    const button = h('button', { type: 'button', class: 'tool tool-footnote', 'aria-label': label, title: label, 'aria-haspopup': 'dialog' }, 'Footnote');
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => command(view.state, view.dispatch, view));
    return {
      element: h('div', { class: 'toolbar-group' }, button),
      update(v) {
        button.disabled = !v.editable || !canInsert(v.state);
      },
    };
  };

  const plugin = new Plugin({
    props: {
      handleClickOn(view, _pos, node, nodePos, _event, direct) {
        if (!direct || node.type !== footnote || !view.editable) return false;
        edit(view, nodePos, node.attrs.text as string);
        return true;
      },
    },
  });

  return { toolGroup, plugin, keymap: keymap(bindingsFor({ footnote: command })), destroy: () => popover.destroy() };
}
