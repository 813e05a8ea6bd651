import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState, TextSelection } from 'prosemirror-state';
import { schema } from '../../shared/schema/index.ts';
import { collectBrackets, bracketedShare } from '../../shared/brackets/model.ts';
import { changedBlocks, refusal } from '../../shared/brackets/rules.ts';
import type { Actor } from '../../shared/brackets/rules.ts';
import { applyDecision, DecisionError } from '../../shared/brackets/decisions.ts';
import { decisionUnits, revertUnits } from '../../shared/brackets/undo.ts';
import { bracketProvision, bracketSelection, offerAlternative, withdrawBracket } from '../../shared/brackets/commands.ts';
import { outline, run, stateAt, typeText } from '../support/editing.ts';

const n = schema.nodes;
const bracket = (id: string, delegation: string, extra: Record<string, string> = {}) =>
  schema.marks.bracket!.create({ id, delegation, kind: 'contested', group: '', at: '2026-11-24T10:00:00Z', ...extra });
const text = (value: string, ...marks: ReturnType<typeof bracket>[]) => schema.text(value, marks);
const para = (...content: PMNode[]) => n.paragraph!.create(null, content);
const provision = (id: string, content: PMNode[], attrs: Record<string, unknown> = {}) => n.provision!.create({ id, ...attrs }, para(...content));
const section = (id: string, keyword: string, provisions: PMNode[]) => n.section!.create({ id, numbering: 'letters' }, [n.keyword!.create(null, schema.text(keyword)), ...provisions]);

const brazilB = bracket('b-br', 'Brazil');
const kenyaNested = bracket('b-ke', 'Kenya');
const altA = bracket('b-a1', 'Brazil', { kind: 'alternative', group: 'g-1' });
const altB = bracket('b-a2', 'Kenya', { kind: 'alternative', group: 'g-1' });

/** recalling a) plain; b) "to [promote [safe] and] trusted AI" (Brazil's with Kenya's nested);
 *  c) "[all of it]" (Kenya, whole provision); d) options "[Alt 1 / Alt 2]"; considering a) agreed. */
const doc = n.doc!.create(null, [
  section('s-1', 'recalling', [
    provision('p-a', [text('plain text')]),
    provision('p-b', [text('to '), text('promote ', brazilB), text('safe', brazilB, kenyaNested), text(' and', brazilB), text(' trusted AI')]),
    provision('p-c', [text('all of it', kenyaNested.type.create({ ...kenyaNested.attrs, id: 'b-whole' }))]),
    provision('p-d', [text('measures '), text('that ITU shall take', altA), text('that Member States may take', altB), text(' now')]),
  ]),
  section('s-2', 'considering', [provision('p-e', [text('an agreed text')], { status: 'agreed' })]),
]);
doc.check();

const brazil: Actor = { role: 'delegate', delegation: 'Brazil' };
const kenya: Actor = { role: 'delegate', delegation: 'Kenya' };
const chair: Actor = { role: 'chair', delegation: null };
const secretariat: Actor = { role: 'secretariat', delegation: null };

/** What the rules say of changing `before` into `after` for `actor`. */
const ruleFor = (after: PMNode, actor: Actor) => {
  const { before, after: now } = changedBlocks(doc, after);
  return refusal(before, now, actor)?.rule ?? null;
};

describe('bracket model', () => {
  it('lists every bracket with its delegation, text, provision and section, nested and whole-provision ones too', () => {
    const brackets = collectBrackets(doc);
    expect([...brackets.keys()]).toEqual(['b-br', 'b-ke', 'b-whole', 'b-a1', 'b-a2']);
    expect(brackets.get('b-br')).toMatchObject({ delegation: 'Brazil', text: 'promote safe and', provisionLabel: 'b)', section: 'recalling', wholeProvision: false });
    expect(brackets.get('b-ke')!.text).toBe('safe');
    expect(brackets.get('b-whole')!.wholeProvision).toBe(true);
    const share = bracketedShare(doc);
    expect(share.bracketed).toBe('promote safe and'.length + 'all of it'.length + 'that ITU shall take'.length + 'that Member States may take'.length);
  });
});

describe('the rules of an edit', () => {
  it('lets a delegate bracket for their own delegation only', () => {
    const plain = stateAt(doc, 'plain', 'start').selection.from;
    const selecting = EditorState.create({ doc, selection: TextSelection.create(doc, plain, plain + 5) });
    const own = run(selecting, bracketSelection('Brazil')).doc;
    expect(ruleFor(own, brazil)).toBeNull();
    const forged = run(selecting, bracketSelection('Kenya')).doc;
    expect(ruleFor(forged, brazil)).toBe('own-delegation');
    expect(ruleFor(forged, secretariat)).toBeNull(); // the secretariat types on behalf of any delegation
  });

  it("refuses a delegate changing, slipping words into or withdrawing another delegation's bracket", () => {
    const typedInside = typeText(stateAt(doc, 'promote', 3), 'x').doc;
    expect(ruleFor(typedInside, kenya)).toBe('other-delegation');
    expect(ruleFor(typedInside, brazil)).toBeNull();
    expect(ruleFor(typedInside, chair)).toBeNull();
    // plain text inserted in the middle of Brazil's bracket, without its mark
    const at = stateAt(doc, 'promote', 3);
    const slipped = at.apply(at.tr.insert(at.selection.from, schema.text('zz'))).doc;
    expect(ruleFor(slipped, kenya)).toBe('other-delegation');
    const withdrawn = run(EditorState.create({ doc }), withdrawBracket('b-br')).doc;
    expect(ruleFor(withdrawn, kenya)).toBe('other-delegation');
    expect(ruleFor(withdrawn, brazil)).toBeNull();
    // Kenya may still bracket words inside Brazil's bracket (nesting changes nothing of Brazil's)
    const nested = run(
      EditorState.create({ doc, selection: TextSelection.create(doc, stateAt(doc, 'promote').selection.from - 4, stateAt(doc, 'promote').selection.from) }),
      bracketSelection('Kenya'),
    ).doc;
    expect(ruleFor(nested, kenya)).toBeNull();
  });

  it('locks agreed provisions for delegates, and leaves statuses to the chair’s decisions', () => {
    const typed = typeText(stateAt(doc, 'an agreed'), ' (changed)').doc;
    expect(ruleFor(typed, brazil)).toBe('agreed');
    expect(ruleFor(typed, secretariat)).toBeNull();
    const state = stateAt(doc, 'plain text');
    const { $from } = state.selection;
    const agreed = state.apply(state.tr.setNodeMarkup($from.before($from.depth - 1), undefined, { ...$from.node($from.depth - 1).attrs, status: 'agreed' })).doc;
    expect(ruleFor(agreed, chair)).toBe('status'); // even the chair: statuses come from decisions, not edits
    expect(ruleFor(agreed, brazil)).toBe('status');
    expect(refusal([], [], { role: 'observer', delegation: null })?.rule).toBe('read-only');
  });
});

describe('bracketing in the editor', () => {
  it('brackets a whole provision, offers alternatives and lets a delegation add an option to a group', () => {
    const whole = run(stateAt(doc, 'plain text'), bracketProvision('Brazil')).doc;
    const b = [...collectBrackets(whole).values()].find((x) => x.provisionId === 'p-a')!;
    expect(b).toMatchObject({ delegation: 'Brazil', wholeProvision: true, text: 'plain text' });

    const selected = stateAt(doc, 'plain text');
    const withSelection = selected.apply(selected.tr.setSelection(TextSelection.create(doc, selected.selection.from - 4, selected.selection.from)));
    const offered = run(withSelection, offerAlternative('Brazil', 'wording')).doc;
    const options = [...collectBrackets(offered).values()].filter((x) => x.kind === 'alternative' && x.provisionId === 'p-a');
    expect(options.map((o) => o.text)).toEqual(['text', 'wording']);
    // the existing words stay the text's ("Base text"), the new wording is Brazil's
    expect(options.map((o) => o.delegation)).toEqual(['', 'Brazil']);
    expect(ruleFor(offered, brazil)).toBeNull();

    const added = run(stateAt(doc, 'that ITU shall', 2), offerAlternative('Kenya', 'that the Council may take')).doc;
    const group = [...collectBrackets(added).values()].filter((x) => x.group === 'g-1').map((x) => `${x.delegation}: ${x.text}`);
    expect(group).toEqual(['Brazil: that ITU shall take', 'Kenya: that Member States may take', 'Kenya: that the Council may take']);
    expect(ruleFor(added, kenya)).toBeNull(); // adding an option leaves Brazil's option as it was
  });
});

describe("the chair's decisions", () => {
  const textOf = (d: PMNode, id: string) => {
    let found = '';
    d.descendants((node) => {
      if (node.type.name === 'provision' && node.attrs.id === id) found = node.textContent;
      return !found;
    });
    return found;
  };

  it('accepts: the brackets go, the text stays; nested brackets inside stay', () => {
    const { doc: after, summary } = applyDecision(doc, { action: 'accept', bracketIds: ['b-br'] });
    expect(textOf(after, 'p-b')).toBe('to promote safe and trusted AI');
    expect([...collectBrackets(after).keys()]).not.toContain('b-br');
    expect(collectBrackets(after).get('b-ke')!.text).toBe('safe');
    expect(summary).toBe("accepted Brazil's bracket “promote safe and” in b) of recalling");
  });

  it('rejects: the text goes with what is nested in it; an emptied provision goes and the rest renumbers', () => {
    expect(textOf(applyDecision(doc, { action: 'reject', bracketIds: ['b-br'] }).doc, 'p-b')).toBe('to  trusted AI');
    expect(textOf(applyDecision(doc, { action: 'reject', bracketIds: ['b-ke'] }).doc, 'p-b')).toBe('to promote  and trusted AI');
    const whole = applyDecision(doc, { action: 'reject', bracketIds: ['b-whole'] }).doc;
    expect(outline(whole).map((l) => l.split(' ')[0])).toEqual(['a)', 'b)', 'c)', 'a)']);
    expect(textOf(whole, 'p-c')).toBe('');
    expect(outline(whole)[2]).toBe('c) measures that ITU shall takethat Member States may take now');
  });

  it('chooses one alternative: the others go, the chosen one stays as plain text', () => {
    const { doc: after, summary } = applyDecision(doc, { action: 'choose', optionId: 'b-a2' });
    expect(textOf(after, 'p-d')).toBe('measures that Member States may take now');
    expect([...collectBrackets(after).values()].filter((b) => b.group === 'g-1')).toEqual([]);
    expect(summary).toMatch(/^chose Kenya's option “that Member States may take” in d\) of recalling; set aside Brazil's option/);
    expect(() => applyDecision(doc, { action: 'accept', bracketIds: ['b-a1'] })).toThrow(/choose it instead/);
  });

  it('marks a provision agreed only once its brackets are cleaned, and reopens it', () => {
    expect(() => applyDecision(doc, { action: 'status', provisionId: 'p-b', status: 'agreed' })).toThrow(/2 open brackets \(Brazil, Kenya\)/);
    const agreed = applyDecision(doc, { action: 'status', provisionId: 'p-a', status: 'agreed_ad_ref' });
    expect(agreed.summary).toBe('marked provision a) of recalling agreed ad referendum');
    const reopened = applyDecision(doc, { action: 'status', provisionId: 'p-e', status: 'open' });
    expect(reopened.doc.lastChild!.lastChild!.attrs.status).toBe('open');
    expect(() => applyDecision(doc, { action: 'reject', bracketIds: ['nope'] })).toThrow(DecisionError);
  });

  it('undoes a decision without undoing what was typed elsewhere since, and refuses when its own text changed', () => {
    const { doc: after } = applyDecision(doc, { action: 'reject', bracketIds: ['b-whole', 'b-br'] });
    const units = decisionUnits(doc, after);
    expect(units.map((u) => (u.kind === 'provision' ? `${u.id}${u.after === null ? ' removed' : ''}` : u.kind))).toEqual(['p-b', 'p-c removed']);
    // meanwhile a delegate typed in another provision
    const later = typeText(stateAt(after, 'plain text'), ' (Kenya typed this)').doc;
    const undone = revertUnits(later, JSON.parse(JSON.stringify(units)), schema);
    expect(textOf(undone, 'p-b')).toBe(textOf(doc, 'p-b'));
    expect(textOf(undone, 'p-c')).toBe('all of it');
    expect(textOf(undone, 'p-a')).toBe('plain text (Kenya typed this)');
    expect(outline(undone).map((l) => l.split(' ')[0])).toEqual(['a)', 'b)', 'c)', 'd)', 'a)']);
    const touched = typeText(stateAt(after, 'trusted'), '!').doc;
    expect(() => revertUnits(touched, units, schema)).toThrow(/edited since/);
    // a section emptied by a decision goes, and comes back whole on undo
    const lone = n.doc!.create(null, [doc.firstChild!, section('s-3', 'noting', [provision('p-x', [text('only this', bracket('b-x', 'Kenya'))])])]);
    const emptied = applyDecision(lone, { action: 'reject', bracketIds: ['b-x'] }).doc;
    expect(emptied.childCount).toBe(1);
    const back = revertUnits(emptied, decisionUnits(lone, emptied), schema);
    expect(back.eq(lone)).toBe(true);
  });
});
