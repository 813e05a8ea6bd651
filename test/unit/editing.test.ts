import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Node as PMNode } from 'prosemirror-model';
import type { EditorState } from 'prosemirror-state';
import { schema } from '../../shared/schema/index.ts';
import { importText } from '../../shared/import/index.ts';
import { startFromBaseText } from '../../shared/base-text.ts';
import { enterFromSectionHead, joinProvisionBackward, joinProvisionForward, liftSubItem, sinkProvision, splitProvision } from '../../shared/editing/provisions.ts';
import { cycleNumbering, insertSection, partOfKeyword } from '../../shared/editing/sections.ts';
import { setProposal } from '../../shared/editing/markers.ts';
import { provisionMarker } from '../../shared/render/plain-text.ts';
import * as Y from 'yjs';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { keepLateTyping } from '../../shared/editing/late-typing.ts';
import { editShared, outline, run, stateAt, typeText } from '../support/editing.ts';

const n = schema.nodes;
const para = (text: string) => n.paragraph!.create(null, text ? schema.text(text) : null);
const provision = (text: string, subs: PMNode[] = [], attrs: Record<string, unknown> = {}) => n.provision!.create({ id: `p-${text}`, ...attrs }, [para(text), ...subs]);
const sub = (text: string) => n.sub_item!.create({ id: `s-${text}` }, para(text));
const section = (keyword: string, numbering: string, provisions: PMNode[]) =>
  n.section!.create({ numbering, part: partOfKeyword(keyword) }, [n.keyword!.create(null, schema.text(keyword)), ...provisions]);

describe('editing provisions', () => {
  const doc = n.doc!.create(null, [
    section('recalling', 'letters', [provision('alpha'), provision('beta'), provision('gamma')]),
    section('resolves', 'numbers', [provision('one', [sub('one-one'), sub('one-two')]), provision('two')]),
  ]);

  it('Enter at the end of a provision makes the next one, numbered for everyone', () => {
    let state = run(stateAt(doc, 'alpha'), splitProvision);
    state = typeText(state, 'inserted');
    expect(outline(state.doc).slice(0, 4)).toEqual(['a) alpha', 'b) inserted', 'c) beta', 'd) gamma']);
    const ids = new Set<string>();
    state.doc.descendants((node) => void (node.type.name === 'provision' && ids.add(node.attrs.id as string)));
    expect(ids.size).toBe(6); // the new provision has an id of its own
  });

  it('Enter in the middle splits; at the start it opens an empty provision before, keeping the text whole', () => {
    const split = run(stateAt(doc, 'beta', 2), splitProvision);
    expect(outline(split.doc).slice(0, 4)).toEqual(['a) alpha', 'b) be', 'c) ta', 'd) gamma']);
    const before = run(stateAt(doc, 'beta', 'start'), splitProvision);
    expect(outline(before.doc).slice(0, 4)).toEqual(['a) alpha', 'b) ', 'c) beta', 'd) gamma']);
    // the text kept its provision (and so its id, comments and base)
    let betaId = '';
    before.doc.descendants((node) => void (node.type.name === 'provision' && node.textContent === 'beta' && (betaId = node.attrs.id as string)));
    expect(betaId).toBe('p-beta');
  });

  it('Enter at the end of a provision with sub-items opens its first sub-item; Enter in an empty sub-item lifts it', () => {
    let state = run(stateAt(doc, 'one'), splitProvision);
    expect(outline(state.doc).slice(3)).toEqual(['1 one', '  1.1 ', '  1.2 one-one', '  1.3 one-two', '2 two']);
    state = run(state, splitProvision); // Enter again in the empty sub-item
    expect(outline(state.doc).slice(3)).toEqual(['1 one', '2 ', '  2.1 one-one', '  2.2 one-two', '3 two']);
  });

  it('Tab makes a provision a sub-item of the one before, Shift-Tab makes it a provision again', () => {
    const sunk = run(stateAt(doc, 'beta'), sinkProvision);
    expect(outline(sunk.doc).slice(0, 3)).toEqual(['a) alpha', '  i) beta', 'b) gamma']);
    expect(sunk.selection.$from.parent.textContent).toBe('beta'); // the cursor stayed in the text
    const lifted = run(sunk, liftSubItem);
    expect(outline(lifted.doc)).toEqual(outline(doc));
    // the first provision of a section has nothing to go under: Tab is left to the browser
    expect(sinkProvision(stateAt(doc, 'alpha'), () => {})).toBe(false);
    // Shift-Tab on a middle sub-item takes the sub-items after it along
    const middle = run(stateAt(doc, 'one-one'), liftSubItem);
    expect(outline(middle.doc).slice(3)).toEqual(['1 one', '2 one-one', '  2.1 one-two', '3 two']);
  });

  it('Backspace at the start joins a provision to the one before; never into the keyword', () => {
    const joined = run(stateAt(doc, 'beta', 'start'), joinProvisionBackward);
    expect(outline(joined.doc).slice(0, 2)).toEqual(['a) alphabeta', 'b) gamma']);
    expect(joined.selection.from).toBe(stateAt(joined.doc, 'alphabeta', 5).selection.from);
    const first = stateAt(doc, 'alpha', 'start');
    let changed = false;
    expect(joinProvisionBackward(first, () => (changed = true))).toBe(true); // swallowed, nothing changes
    expect(changed).toBe(false);
    const forward = run(stateAt(doc, 'alpha'), joinProvisionForward);
    expect(outline(forward.doc).slice(0, 2)).toEqual(['a) alphabeta', 'b) gamma']);
  });

  it('Enter in a keyword goes on to the first provision instead of splitting the keyword', () => {
    const state = run(stateAt(doc, 'recalling'), enterFromSectionHead);
    expect(state.selection.$from.parent.textContent).toBe('alpha');
    expect(state.doc.eq(doc)).toBe(true);
  });
});

describe('sections', () => {
  const doc = n.doc!.create(null, [section('recalling', 'letters', [provision('alpha')]), section('resolves', 'numbers', [provision('one')])]);

  it('inserts a section with a chosen keyword after the current one, numbered by its part', () => {
    let state = run(stateAt(doc, 'alpha'), insertSection('considering further'));
    state = typeText(state, 'that AI is moving fast');
    state = run(state, insertSection('instructs the Secretary-General'));
    state = typeText(state, 'to report');
    const sections: string[] = [];
    state.doc.forEach((node) => sections.push(`${node.attrs.part}/${node.attrs.numbering}: ${node.firstChild!.textContent}`));
    expect(sections).toEqual(['preamble/letters: recalling', 'preamble/letters: considering further', 'operative/numbers: instructs the Secretary-General', 'operative/numbers: resolves']);
    expect(outline(state.doc)).toEqual(['a) alpha', 'a) that AI is moving fast', '1 to report', '1 one']);
    expect(partOfKeyword('further resolves')).toBe('operative');
    expect(partOfKeyword('noting with concern')).toBe('preamble');
    expect(insertSection('  ')(stateAt(doc, 'alpha'))).toBe(false);
  });

  it('toggles the numbering style of the section: letters, numbers, none', () => {
    let state = run(stateAt(doc, 'alpha'), cycleNumbering);
    expect(outline(state.doc)[0]).toBe('1 alpha');
    state = run(state, cycleNumbering);
    expect(state.doc.firstChild!.attrs.numbering).toBe('none');
    state = run(state, cycleNumbering);
    expect(outline(state.doc)[0]).toBe('a) alpha');
  });
});

describe('proposal markers while editing', () => {
  const fixture = readFileSync(resolve(import.meta.dirname, '../fixtures/draft-new-resolution-ai.txt'), 'utf8');
  const base = startFromBaseText(importText(fixture, 'resolution').doc);

  it('a provision started from a base text is NOC, becomes MOD when edited, and a new one is ADD numbered bis', () => {
    const target = 'Resolution 70/125';
    let state = stateAt(base, target);
    const markerHere = (s: EditorState) => {
      const { $from } = s.selection;
      return provisionMarker($from.node($from.depth - 1));
    };
    expect(markerHere(state)).toBe('NOC');
    state = typeText(state, ' (WSIS+10)');
    expect(markerHere(state)).toBe('MOD');
    state = run(state, splitProvision);
    state = typeText(state, 'a new reference');
    expect(markerHere(state)).toBe('ADD');
    const recalling = outline(state.doc).slice(0, 4);
    expect(recalling.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual(['a) Resolution', 'b) Resolution', 'b bis', 'c) Resolution']);
  });

  it('sets a marker, reference and reasons explicitly, refusing a malformed reference', () => {
    const state = stateAt(base, 'Resolution 70/125');
    const set = run(state, setProposal({ marker: 'SUP', reference: 'ACP/47A1/3', reasons: 'Superseded by WSIS+20.' }));
    const { $from } = set.selection;
    const node = $from.node($from.depth - 1);
    expect([provisionMarker(node), node.attrs.reference, node.attrs.reasons]).toEqual(['SUP', 'ACP/47A1/3', 'Superseded by WSIS+20.']);
    expect(setProposal({ reference: 'ACP 47' })(state)).toBe(false);
    const auto = run(set, setProposal({ marker: null }));
    expect(provisionMarker(auto.selection.$from.node(auto.selection.$from.depth - 1))).toBe('NOC');
  });
});

describe('typing a structure change overtook', () => {
  const doc = n.doc!.create(null, [section('recalling', 'letters', [provision('alpha'), provision('beta'), provision('gamma')]), section('resolves', 'numbers', [provision('one'), provision('two')])]);

  /** Two replicas of the text, each keeping its late typing as the editor does; `sync` delivers what each lacks until they agree. */
  function replicas(text = doc) {
    const [a, b] = [new Y.Doc(), new Y.Doc()];
    a.transact(() => prosemirrorToYXmlFragment(text, a.getXmlFragment(TEXT_FRAGMENT)));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const replica of [a, b]) keepLateTyping(replica.getXmlFragment(TEXT_FRAGMENT));
    const sync = () => {
      for (let round = 0; round < 5; round++) {
        const [toB, toA] = [Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))];
        Y.applyUpdate(b, toB, 'network');
        Y.applyUpdate(a, toA, 'network');
      }
      const [textA, textB] = [a, b].map((replica) => outline(strictDocument(replica.getXmlFragment(TEXT_FRAGMENT), schema)));
      expect(textB).toEqual(textA);
      return textA!;
    };
    return { a, b, sync };
  }

  it('Backspace joining a provision keeps what another delegation was typing in it, where it was typed', () => {
    const { a, b, sync } = replicas();
    editShared(b, (d) => typeText(stateAt(d, 'beta', 2), '-kenya-'));
    editShared(a, (d) => run(stateAt(d, 'beta', 'start'), joinProvisionBackward));
    expect(sync().slice(0, 2)).toEqual(['a) alphabe-kenya-ta', 'b) gamma']);
  });

  it('Tab keeps it too, and what the other side had already received is not typed twice', () => {
    const { a, b, sync } = replicas();
    editShared(b, (d) => typeText(stateAt(d, 'gam'), 'x'));
    sync();
    editShared(b, (d) => typeText(stateAt(d, 'gamx'), 'y'));
    editShared(a, (d) => run(stateAt(d, 'gamx'), sinkProvision));
    expect(sync().slice(0, 3)).toEqual(['a) alpha', 'b) beta', '  i) gamxyma']);
  });

  it("keeps its place and formatting when the editor rewrites one provision's element into another's", () => {
    // Tab on a provision with more sub-items than the one before: y-prosemirror keeps the element
    // of "two" for the provision "one" becomes, and writes "two" anew as a sub-item
    const { a, b, sync } = replicas(n.doc!.create(null, [section('resolves', 'numbers', [provision('one', [sub('1a')]), provision('two', [sub('2a'), sub('2b'), sub('2c')])])]));
    editShared(b, (d) => {
      const state = stateAt(d, 'two', 1);
      return state.apply(state.tr.insertText('KE').addMark(state.selection.from, state.selection.from + 2, schema.marks.strong!.create()));
    });
    editShared(a, (d) => run(stateAt(d, 'two'), sinkProvision));
    expect(sync()).toEqual(['1 one', '  1.1 1a', '  1.2 tKEwo', '  1.3 2a', '  1.4 2b', '  1.5 2c']);
    let bold = '';
    strictDocument(b.getXmlFragment(TEXT_FRAGMENT), schema).descendants((node) => void (node.marks.some((m) => m.type.name === 'strong') && (bold += node.text)));
    expect(bold).toBe('KE');
  });

  it('what was typed in a section deleted meanwhile goes with the section', () => {
    const { a, b, sync } = replicas();
    editShared(b, (d) => typeText(stateAt(d, 'two'), ' (Kenya)'));
    editShared(a, (d) => {
      const state = stateAt(d, 'resolves');
      return state.apply(state.tr.delete(state.selection.$from.before(1), state.selection.$from.after(1)));
    });
    expect(sync()).toEqual(['a) alpha', 'b) beta', 'c) gamma']);
  });
});
