import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection } from 'prosemirror-state';
import type { Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { schema } from '../../shared/schema/index.ts';
import { goTo } from '../../client/editor/navigation.ts';
import { negotiationDoc } from '../support/negotiation.ts';

/**
 * Going from bracket to bracket (client/editor/navigation.ts) on the negotiation draft: each open
 * question once — an alternatives group is one stop, said with its options — in the order of the
 * text, wrapping at the ends, the caret put where each starts.
 */
/** As much of a view as going to a bracket uses: its state, dispatch and focus. */
function viewOn(state: EditorState): EditorView & { state: EditorState } {
  const view = {
    state,
    dispatch(tr: Transaction) {
      view.state = view.state.apply(tr);
    },
    focus() {},
  };
  return view as unknown as EditorView & { state: EditorState };
}

const caretAt = (doc: ReturnType<typeof negotiationDoc>, pos: number) => EditorState.create({ schema, doc, selection: TextSelection.create(doc, pos) });

describe('going from bracket to bracket', () => {
  it('stops at each open question in order, says where, and wraps at the ends', () => {
    const view = viewOn(caretAt(negotiationDoc(), 3));
    const said = [1, 2, 3, 4].map(() => goTo(view, 'bracket', 1));
    expect(said).toEqual([
      'Bracket 1 of 4: Brazil, in b) of recalling',
      'Bracket 2 of 4: Kenya, in b) of recalling',
      'Bracket 3 of 4: Kenya, in c) of recalling',
      'Bracket 4 of 4: Alt 1 Brazil / Alt 2 Kenya, in d) of recalling',
    ]);
    expect(view.state.doc.textBetween(view.state.selection.from, view.state.selection.from + 19)).toBe('that ITU shall take');
    expect(goTo(view, 'bracket', 1)).toBe('Bracket 1 of 4: Brazil, in b) of recalling');
    expect(view.state.doc.textBetween(view.state.selection.from, view.state.selection.from + 8)).toBe('promote ');
    expect(goTo(view, 'bracket', -1)).toBe('Bracket 4 of 4: Alt 1 Brazil / Alt 2 Kenya, in d) of recalling');
    expect(goTo(view, 'bracket', -1)).toBe('Bracket 3 of 4: Kenya, in c) of recalling');
  });

  it('says so when there is none', () => {
    const doc = schema.nodes.doc!.create(null, schema.nodes.paragraph!.create(null, schema.text('clean text')));
    expect(goTo(viewOn(caretAt(doc, 1)), 'bracket', 1)).toBe('There are no open brackets in the text.');
    expect(goTo(viewOn(caretAt(doc, 1)), 'thread', -1)).toBe('There are no open comment threads in the text.');
  });
});
