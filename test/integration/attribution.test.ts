import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { TextSelection } from 'prosemirror-state';
import type { EditorState } from 'prosemirror-state';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, storedDoc, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { editShared, run, stateAt } from '../support/editing.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { bracketSelection, newBracket, offerAlternative, withdrawBracket } from '../../shared/brackets/commands.ts';
import { collectBrackets, optionsOf } from '../../shared/brackets/model.ts';
import type { Bracket } from '../../shared/brackets/model.ts';
import type { DecisionEntry } from '../../shared/api.ts';

/**
 * Who the words of an alternative belong to: when a delegation offers an
 * alternative to existing words, those words stay the text's ("Base text", delegation '') — or the
 * delegation whose bracket holds them — never the offering delegation's. Checked through the real
 * server on every path: the editor's command, the server's rules (the honest shape accepted, crafted
 * ones taken back), withdrawing, the secretariat on behalf of a delegation, decisions and their
 * log, and the exports' footnotes.
 */
const docOf = (doc: Y.Doc) => strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);
const optionsIn = (doc: PMNode, provisionId: string): Bracket[] => [...collectBrackets(doc).values()].filter((b) => b.kind === 'alternative' && b.provisionId === provisionId);
const provisionText = (doc: PMNode, id: string): string | null => {
  let found: PMNode | null = null;
  doc.descendants((node) => {
    if (node.type.name === 'provision' && node.attrs.id === id) found = node;
    return found === null;
  });
  return (found as PMNode | null)?.textContent ?? null;
};
/** A state with `words` selected. */
const selecting =
  (words: string) =>
  (doc: PMNode): EditorState => {
    const at = stateAt(doc, words, 'start');
    return at.apply(at.tr.setSelection(TextSelection.create(doc, at.selection.from, at.selection.from + words.length)));
  };

describe('attribution of alternatives and brackets', () => {
  let server: TestServer;
  let witness: TestClient;
  const auth = (who: string) => ({ authorization: `Bearer ${server.users[who]!.token}` });
  const decide = async (payload: object) => {
    const answer = await server.app.inject({ method: 'POST', url: `/api/documents/${server.documentId}/decisions`, headers: auth('chair'), payload });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json() as DecisionEntry;
  };
  const exported = async (format: string) => (await server.app.inject({ url: `/api/documents/${server.documentId}/export?format=${format}&mode=negotiation`, headers: auth('observer') })).body;

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    witness = connect(server, 'observer');
    await synced(witness);
  });
  afterEach(async () => {
    witness.destroy();
    await server.close();
  });

  /** `username` offers `wording` as an alternative to `words`; resolves once the witness sees it. */
  async function offer(username: string, words: string, wording: string, as = server.users[username]!.delegation!): Promise<TestClient> {
    const sender = connect(server, username);
    await synced(sender);
    editShared(sender.doc, (d) => run(selecting(words)(d), offerAlternative(as, wording)));
    await until(() => docOf(witness.doc).textContent.includes(wording), `${username}'s alternative to reach the witness`);
    return sender;
  }

  it("keeps the existing words the text's when Kenya offers an alternative, and the log and the exports say so", async () => {
    const kenya = await offer('kenya', 'plain text', 'clear text');
    const options = optionsIn(docOf(witness.doc), 'p-a');
    expect(options.map((o) => [o.delegation, o.text])).toEqual([
      ['', 'plain text'],
      ['Kenya', 'clear text'],
    ]);
    expect(kenya.notices).toEqual([]); // the honest shape breaks no rule
    const stored = storedDoc(server);
    expect(optionsIn(docOf(stored), 'p-a').map((o) => o.delegation)).toEqual(['', 'Kenya']);
    stored.destroy();

    // the negotiation text prints both options apart, and names only Kenya as proposing
    const txt = await exported('txt');
    expect(txt).toContain('[Alt 1: plain text / Alt 2: clear text]');
    const html = await exported('html');
    expect(html).toMatch(/<li id="fn\d+">Alternatives proposed by Kenya <a/);

    // the chair keeps the base text: the log names the base text's option chosen and Kenya's set aside
    const entry = await decide({ action: 'choose', optionId: options[0]!.id });
    expect(entry.summary).toBe("chose the base text's option “plain text” in a) of recalling; set aside Kenya's option “clear text”");
    expect(entry.brackets.map((b) => b.delegation)).toEqual(['', 'Kenya']);
    await until(() => provisionText(docOf(witness.doc), 'p-a') === 'plain text', 'the decision to reach the witness');
    kenya.destroy();
  });

  it("logs \"chose Kenya's option … set aside the base text's option\" when the chair takes Kenya's wording", async () => {
    (await offer('kenya', 'trusted AI', 'trustworthy AI')).destroy();
    const [base, kenyas] = optionsIn(docOf(witness.doc), 'p-b');
    const entry = await decide({ action: 'choose', optionId: kenyas!.id });
    expect(entry.summary).toBe(`chose Kenya's option “trustworthy AI” in b) of recalling; set aside the base text's option “${base!.text}”`);
    await until(() => provisionText(docOf(witness.doc), 'p-b')!.endsWith(' trustworthy AI'), 'the choice to reach the witness');
  });

  it('dissolves the group into plain text when Kenya withdraws its option; nobody else withdraws or takes the base option', async () => {
    const kenya = await offer('kenya', 'plain text', 'clear text');
    const [base, kenyas] = optionsIn(docOf(witness.doc), 'p-a');

    // Brazil may neither take the base option back nor withdraw it
    const brazil = connect(server, 'brazil');
    await synced(brazil);
    const before = docOf(witness.doc);
    editShared(brazil.doc, (d) => run(cursorAtStart(d), withdrawBracket(base!.id)));
    await until(() => brazil.notices.length > 0, 'Brazil to be told');
    expect(brazil.notices[0]!.rules.map((r) => r.message).join(' ')).toMatch(/the base text's wording, one option of an alternative: nobody can change (, move )?or withdraw it/);
    await until(() => docOf(brazil.doc).eq(before), "Brazil's copy to be put back");
    expect(docOf(witness.doc).eq(before)).toBe(true);
    brazil.destroy();

    // Kenya withdraws its own option: its words go, the base words stand as plain text
    editShared(kenya.doc, (d) => run(cursorAtStart(d), withdrawBracket(kenyas!.id)));
    await until(() => optionsIn(docOf(witness.doc), 'p-a').length === 0, 'the group to dissolve');
    expect(provisionText(docOf(witness.doc), 'p-a')).toBe('plain text');
    expect(kenya.notices).toEqual([]);
    kenya.destroy();
  });

  it('rejecting the only other option leaves the base text standing as plain text', async () => {
    (await offer('kenya', 'plain text', 'clear text')).destroy();
    const [, kenyas] = optionsIn(docOf(witness.doc), 'p-a');
    const entry = await decide({ action: 'reject', bracketIds: [kenyas!.id] });
    expect(entry.summary).toBe("rejected Kenya's option “clear text” in a) of recalling; the base text stands");
    await until(() => optionsIn(docOf(witness.doc), 'p-a').length === 0, 'the group to dissolve');
    expect(provisionText(docOf(witness.doc), 'p-a')).toBe('plain text');
  });

  it("attributes the secretariat's brackets and alternatives to the delegation it types for, the offered-to words to the text", async () => {
    const typist = connect(server, 'secretariat');
    await synced(typist);
    editShared(typist.doc, (d) => run(selecting('plain')(d), bracketSelection('Kenya')));
    editShared(typist.doc, (d) => run(selecting('trusted AI')(d), offerAlternative('Kenya', 'trustworthy AI')));
    await until(() => docOf(witness.doc).textContent.includes('trustworthy AI') && [...collectBrackets(docOf(witness.doc)).values()].some((b) => b.text === 'plain'), 'the secretariat’s edits');
    const brackets = [...collectBrackets(docOf(witness.doc)).values()];
    expect(brackets.find((b) => b.text === 'plain')!.delegation).toBe('Kenya');
    expect(optionsIn(docOf(witness.doc), 'p-b').map((o) => [o.delegation, o.text])).toEqual([
      ['', 'trusted AI'],
      ['Kenya', 'trustworthy AI'],
    ]);
    const rejected = await decide({ action: 'reject', bracketIds: [brackets.find((b) => b.text === 'plain')!.id] });
    expect(rejected.summary).toBe("rejected Kenya's bracket “plain” in a) of recalling");
    typist.destroy();
  });

  it('names the delegation whose bracket holds the words when an officer offers an alternative inside it', async () => {
    const chair = connect(server, 'chair');
    await synced(chair);
    // "promote" is inside Brazil's bracket b-br: the chair offers the Chair's wording
    editShared(chair.doc, (d) => run(selecting('promote')(d), offerAlternative('Chair', 'encourage')));
    await until(() => docOf(witness.doc).textContent.includes('encourage'), 'the chair’s alternative');
    expect(optionsIn(docOf(witness.doc), 'p-b').map((o) => [o.delegation, o.text])).toEqual([
      ['Brazil', 'promote'],
      ['Chair', 'encourage'],
    ]);
    chair.destroy();
  });

  it('leaves stored alternatives whose first option names the offering delegation as they are: listed, chosen, withdrawn', async () => {
    // g-1 of the seeded draft: Brazil's and Kenya's options, as stored before this rule
    const g1 = optionsOf(collectBrackets(docOf(witness.doc)), 'g-1');
    expect(g1.map((o) => o.delegation)).toEqual(['Brazil', 'Kenya']);
    const kenya = connect(server, 'kenya');
    await synced(kenya);
    editShared(kenya.doc, (d) => run(cursorAtStart(d), withdrawBracket('b-a2')));
    await until(() => !collectBrackets(docOf(witness.doc)).has('b-a2'), "Kenya's option to go");
    expect(kenya.notices).toEqual([]);
    // Brazil's lone option is still Brazil's, and the chair can choose it
    const entry = await decide({ action: 'choose', optionId: 'b-a1' });
    expect(entry.summary).toBe("chose Brazil's option “that ITU shall take” in d) of recalling");
    kenya.destroy();
  });

  it('words the refusal of a clean export with open questions for the chair, who decides them, and for everyone else', async () => {
    (await offer('kenya', 'plain text', 'clear text')).destroy();
    const refusal = async (who: string) => {
      const answer = await server.app.inject({ url: `/api/documents/${server.documentId}/export?format=txt&mode=clean`, headers: auth(who) });
      expect(answer.statusCode).toBe(409);
      return answer.json().message as string;
    };
    // the seeded draft's three brackets and alternative, and Kenya's new one: five questions, not seven brackets
    const chair = await refusal('chair');
    expect(chair).toMatch(/^the text still has 5 open questions \(3 brackets, 2 alternatives \(4 options\)\), so it is not clean: /);
    expect(chair).toContain('a) of recalling (Base text / Kenya): “Alt 1 plain text / Alt 2 clear text”');
    expect(chair).toMatch(/Accept or reject them \(or choose an option\) in the Proposals panel, export in negotiation mode/);
    expect(chair).not.toMatch(/Have the chair|Ask the chair/);
    for (const who of ['kenya', 'secretariat', 'observer']) expect(await refusal(who), who).toMatch(/Ask the chair to decide on them, export in negotiation mode/);
    // the group page counts the same questions
    const group = await server.app.inject({ url: '/api/groups/cwg-ai', headers: auth('observer') });
    const stats = (group.json().documents as { id: string; brackets: object }[]).find((d) => d.id === server.documentId)!.brackets;
    expect(stats).toMatchObject({ open: 5, alternatives: 2, options: 4 });
  });

  describe('crafted updates are still taken back', () => {
    /**
     * `change` by Kenya breaks a rule, named in what Kenya is told; what breaks it is taken back and
     * only that: the text everyone ends with is `after` of the text before (by default, that text).
     */
    async function takenBack(change: (doc: PMNode) => EditorState, words: RegExp, expected: (doc: PMNode) => boolean = (doc) => doc.eq(textBefore())): Promise<void> {
      const kenya = connect(server, 'kenya');
      await synced(kenya);
      const start = docOf(witness.doc);
      textBefore = () => start;
      editShared(kenya.doc, change);
      await until(() => kenya.notices.length > 0, 'Kenya to be told what was taken back');
      expect(kenya.notices[0]!.rules.map((r) => r.message).join(' ')).toMatch(words);
      await until(() => expected(docOf(kenya.doc)), "Kenya's copy to be corrected");
      await new Promise((r) => setTimeout(r, 100));
      expect(expected(docOf(witness.doc))).toBe(true);
      const stored = storedDoc(server);
      expect(expected(docOf(stored))).toBe(true);
      stored.destroy();
      kenya.destroy();
    }
    let textBefore = (): PMNode => docOf(witness.doc);
    /** No bracket of the text is attributed to `delegation` in group `group`; the words are there. */
    const stripped = (group: string, delegation: string, words: string) => (doc: PMNode) =>
      doc.textContent.includes(words) && ![...collectBrackets(doc).values()].some((b) => b.group === group && b.delegation === delegation);
    /** Marks `words` with a bracket made by hand. */
    const mark = (words: string, attrs: Parameters<typeof newBracket>) => (d: PMNode) => {
      const state = selecting(words)(d);
      return state.apply(state.tr.addMark(state.selection.from, state.selection.to, newBracket(...attrs)));
    };

    it("refuses another delegation's name on a new bracket, even as an alternative's first option", async () => {
      await takenBack(mark('plain', ['Brazil']), /own delegation \(Kenya\) only, not for Brazil/);
      await takenBack(
        (d) => {
          const state = selecting('plain text')(d);
          const { from, to } = state.selection;
          const tr = state.tr.addMark(from, to, newBracket('Brazil', 'alternative', 'g-forged')).insert(to, schema.text('mine', [newBracket('Kenya', 'alternative', 'g-forged')]));
          return state.apply(tr);
        },
        /not for Brazil/,
        stripped('g-forged', 'Brazil', 'plain textmine'),
      ); // Kenya's own option stays
    });

    it('refuses an unowned option without an option of its own beside it, or over words that were not there', async () => {
      await takenBack(mark('plain', ['', 'alternative', 'g-alone']), /not for nobody/);
      await takenBack(
        (d) => {
          const state = stateAt(d, 'plain text');
          const at = state.selection.from;
          // new words passed off as the base text, beside an option of Kenya's
          const tr = state.tr.insert(at, [schema.text(' invented', [newBracket('', 'alternative', 'g-new')]), schema.text(' mine', [newBracket('Kenya', 'alternative', 'g-new')])]);
          return state.apply(tr);
        },
        /not for nobody/,
        stripped('g-new', '', 'plain text invented mine'),
      ); // the words stay, Kenya's
    });

    it("refuses turning an existing base option into one's own, or adding one to an existing group", async () => {
      // a base option the chair's side made (an officer may): Kenya then claims it
      const secretariat = await offer('secretariat', 'plain text', 'clear text', 'Brazil');
      secretariat.destroy();
      const [base] = optionsIn(docOf(witness.doc), 'p-a');
      await takenBack((d) => {
        const state = selecting('plain text')(d);
        const { from, to } = state.selection;
        const { id, kind, group, at } = base!;
        const old = schema.marks.bracket!.create({ id, delegation: '', kind, group, at });
        return state.apply(state.tr.removeMark(from, to, old).addMark(from, to, schema.marks.bracket!.create({ ...old.attrs, delegation: 'Kenya' })));
      }, /the base text's wording/);
      await takenBack(mark('trusted AI', ['', 'alternative', base!.group]), /not for nobody/);
    });
  });
});

/** A state on `doc` with the cursor at its start (withdrawing needs no selection). */
function cursorAtStart(doc: PMNode): EditorState {
  return stateAt(doc, doc.textContent.slice(0, 1), 'start');
}
