import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { TextSelection } from 'prosemirror-state';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, storedDoc, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { editShared, stateAt, typeText, run } from '../support/editing.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { bracketSelection, withdrawBracket } from '../../shared/brackets/commands.ts';
import { collectBrackets } from '../../shared/brackets/model.ts';

/**
 * The server enforces the rules of ARCHITECTURE.md §2 on raw Yjs updates from stock y-websocket clients
 * (no editor, no client-side checks): a refused update is neither stored nor broadcast, every other
 * client and the stored document are unchanged, and the sender is told which rule refused it.
 */
const docOf = (doc: Y.Doc) => strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);

describe('the server checks every update against the rules', () => {
  let server: TestServer;
  let witness: TestClient;

  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
    witness = connect(server, 'brazil'); // another delegation, watching
    await synced(witness);
  });

  afterEach(async () => {
    witness.destroy();
    await server.close();
  });

  /**
   * `username` makes `change` through a raw client; expects what breaks the rule taken back: the
   * sender stays connected and is told the rule, the witness never sees the offending text (every
   * state it passes through is the text before), storage and a newcomer hold the text before, and
   * the sender's copy comes back to it.
   */
  async function expectTakenBack(username: string, change: (doc: Y.Doc) => void, words: RegExp): Promise<void> {
    const sender = connect(server, username);
    await synced(sender);
    const witnessBefore = docOf(witness.doc);
    const seen: boolean[] = [];
    const watch = () => seen.push(docOf(witness.doc).eq(witnessBefore));
    witness.doc.on('afterTransaction', watch);
    change(sender.doc);
    await until(() => sender.notices.length > 0, `${username} to be told what was taken back`);
    expect(sender.notices[0]!.rules.map((r) => r.message).join(' ')).toMatch(words);
    await until(() => docOf(sender.doc).eq(witnessBefore), "the sender's copy to be corrected");
    await new Promise((r) => setTimeout(r, 100)); // anything wrongly broadcast would have arrived
    witness.doc.off('afterTransaction', watch);
    expect(seen.every(Boolean)).toBe(true);
    expect(docOf(witness.doc).eq(witnessBefore)).toBe(true);
    const stored = storedDoc(server);
    expect(docOf(stored).eq(witnessBefore)).toBe(true);
    stored.destroy();
    const newcomer = connect(server, 'chair');
    await synced(newcomer);
    expect(docOf(newcomer.doc).eq(witnessBefore)).toBe(true);
    newcomer.destroy();
    expect(sender.closes).toEqual([]); // the sender stays connected
    sender.destroy();
  }

  it('takes back a bracket attributed to another delegation', async () => {
    await expectTakenBack(
      'kenya',
      (doc) =>
        editShared(doc, (d) => {
          const at = stateAt(d, 'plain', 'start');
          return run(at.apply(at.tr.setSelection(TextSelection.create(d, at.selection.from, at.selection.from + 5))), bracketSelection('Brazil'));
        }),
      /own delegation \(Kenya\) only, not for Brazil/,
    );
  });

  it("takes back a delegate typing inside, or withdrawing, another delegation's bracket", async () => {
    await expectTakenBack('kenya', (doc) => editShared(doc, (d) => typeText(stateAt(d, 'promote', 3), 'xx')), /Brazil's proposal: only Brazil or the chair/);
    await expectTakenBack('kenya', (doc) => editShared(doc, (d) => run(stateAt(d, 'plain'), withdrawBracket('b-br'))), /Brazil's proposal/);
  });

  it('takes back a delegate changing an agreed provision', async () => {
    await expectTakenBack('kenya', (doc) => editShared(doc, (d) => typeText(stateAt(d, 'an agreed text'), ' (amended)')), /agreed: only the chair can change it/);
  });

  it('takes back a status set by editing, even from the chair', async () => {
    await expectTakenBack(
      'chair',
      (doc) =>
        editShared(doc, (d) => {
          const state = stateAt(d, 'plain text');
          const { $from } = state.selection;
          return state.apply(state.tr.setNodeMarkup($from.before($from.depth - 1), undefined, { ...$from.node($from.depth - 1).attrs, status: 'agreed' }));
        }),
      /decided by the chair, not by editing/,
    );
  });

  it('takes back an update that breaks the structure (a section without its keyword)', async () => {
    await expectTakenBack(
      'kenya',
      (doc) => {
        const section = doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement;
        section.delete(0, 1);
      },
      /breaks the structure of the text/,
    );
  });

  it('accepts what the rules allow: own brackets, nesting, officers editing others’ brackets and agreed text', async () => {
    const kenya = connect(server, 'kenya');
    const secretariat = connect(server, 'secretariat');
    await Promise.all([synced(kenya), synced(secretariat)]);
    // Kenya edits its own bracket and brackets a word of its own
    editShared(kenya.doc, (d) => typeText(stateAt(d, 'all of this'), ' very'));
    editShared(kenya.doc, (d) => {
      const at = stateAt(d, 'plain', 'start');
      return run(at.apply(at.tr.setSelection(TextSelection.create(d, at.selection.from, at.selection.from + 5))), bracketSelection('Kenya'));
    });
    // the secretariat corrects Brazil's bracket and the agreed provision
    editShared(secretariat.doc, (d) => typeText(stateAt(d, 'promote', 'end'), 'd'));
    editShared(secretariat.doc, (d) => typeText(stateAt(d, 'an agreed text'), '.'));
    await until(() => docOf(witness.doc).textContent.includes('an agreed text.') && docOf(witness.doc).textContent.includes('all of this very'), 'the accepted edits to reach Brazil');
    const brackets = collectBrackets(docOf(witness.doc));
    expect(brackets.get('b-br')!.text).toBe('promoted safe and');
    expect([...brackets.values()].filter((b) => b.delegation === 'Kenya' && b.text === 'plain')).toHaveLength(1);
    expect(kenya.closes).toEqual([]);
    expect(secretariat.closes).toEqual([]);
    kenya.destroy();
    secretariat.destroy();
  });
});
