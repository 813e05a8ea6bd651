import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import type { EditorState } from 'prosemirror-state';
import { TextSelection } from 'prosemirror-state';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, upgradeStatus } from '../support/client.ts';
import { editShared, run, stateAt, typeText } from '../support/editing.ts';
import { negotiationDoc } from '../support/negotiation.ts';
import { initialTextUpdate } from '../../server/collab/initial-text.ts';
import { bracketSelection } from '../../shared/brackets/commands.ts';
import { CLOSE, TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { schema } from '../../shared/schema/index.ts';

/**
 * Every role × every action of ARCHITECTURE.md §2, through the HTTP API and through raw Yjs updates from
 * stock clients: allowed or refused as the table says, and nothing changed when refused.
 * Brazil is "delegate of A", Kenya "delegate of B"; the negotiation draft has brackets of both and
 * an agreed provision.
 */
type Who = 'chair' | 'secretariat' | 'brazil' | 'kenya' | 'observer' | 'anonymous' | 'outsider';
const EVERYONE: Who[] = ['chair', 'secretariat', 'brazil', 'kenya', 'observer', 'anonymous', 'outsider'];
/**
 * What happened: ok (2xx, or the update stored), refused (4403 / 403), dropped (observer frames),
 * 401, 403 (upgrade or HTTP), 404 (another group's document or group: as unknown as one never made).
 */
type Outcome = 'ok' | 'refused' | 'dropped' | '401' | '403' | '404';

const selectWord = (doc: PMNode, word: string): EditorState => {
  const at = stateAt(doc, word, 'start');
  return at.apply(at.tr.setSelection(TextSelection.create(doc, at.selection.from, at.selection.from + word.length)));
};

/** The Yjs actions, as edits a client makes. */
const EDITS: Record<string, { edit: (doc: PMNode) => EditorState; expected: Record<Who, Outcome> }> = {
  'edit open text': {
    edit: (doc) => typeText(stateAt(doc, 'plain text'), ' amended'),
    expected: { chair: 'ok', secretariat: 'ok', brazil: 'ok', kenya: 'ok', observer: 'dropped', anonymous: '401', outsider: '404' },
  },
  'edit an agreed provision': {
    edit: (doc) => typeText(stateAt(doc, 'an agreed text'), ' amended'),
    expected: { chair: 'ok', secretariat: 'ok', brazil: 'refused', kenya: 'refused', observer: 'dropped', anonymous: '401', outsider: '404' },
  },
  'bracket text for Brazil': {
    edit: (doc) => run(selectWord(doc, 'plain'), bracketSelection('Brazil')),
    expected: { chair: 'ok', secretariat: 'ok', brazil: 'ok', kenya: 'refused', observer: 'dropped', anonymous: '401', outsider: '404' },
  },
  "edit Brazil's bracketed text": {
    edit: (doc) => typeText(stateAt(doc, 'promote', 3), 'x'),
    expected: { chair: 'ok', secretariat: 'ok', brazil: 'ok', kenya: 'refused', observer: 'dropped', anonymous: '401', outsider: '404' },
  },
  'set a provision agreed by editing': {
    edit: (doc) => {
      const state = stateAt(doc, 'plain text');
      const { $from } = state.selection;
      return state.apply(state.tr.setNodeMarkup($from.before($from.depth - 1), undefined, { ...$from.node($from.depth - 1).attrs, status: 'agreed' }));
    },
    expected: { chair: 'refused', secretariat: 'refused', brazil: 'refused', kenya: 'refused', observer: 'dropped', anonymous: '401', outsider: '404' },
  },
};

/** The HTTP actions: method, path (with :doc / :group), body, and who may. */
const CALLS: Record<string, { method: 'GET' | 'POST'; path: string; body?: object; expected: Record<Who, Outcome> }> = {
  'read a document': {
    method: 'GET',
    path: '/api/documents/:doc',
    expected: { chair: 'ok', secretariat: 'ok', brazil: 'ok', kenya: 'ok', observer: 'ok', anonymous: '401', outsider: '404' },
  },
  'export a document': {
    method: 'GET',
    path: '/api/documents/:doc/export?format=txt&mode=negotiation', // the draft has open brackets: a clean export would refuse (409)
    expected: { chair: 'ok', secretariat: 'ok', brazil: 'ok', kenya: 'ok', observer: 'ok', anonymous: '401', outsider: '404' },
  },
  'read the decision log': {
    method: 'GET',
    path: '/api/documents/:doc/decisions',
    expected: { chair: 'ok', secretariat: 'ok', brazil: 'ok', kenya: 'ok', observer: 'ok', anonymous: '401', outsider: '404' },
  },
  'accept a bracket': {
    method: 'POST',
    path: '/api/documents/:doc/decisions',
    body: { action: 'accept', bracketIds: ['b-br'] },
    expected: { chair: 'ok', secretariat: '403', brazil: '403', kenya: '403', observer: '403', anonymous: '401', outsider: '404' },
  },
  'set a provision agreed': {
    method: 'POST',
    path: '/api/documents/:doc/decisions',
    body: { action: 'status', provisionId: 'p-a', status: 'agreed' },
    expected: { chair: 'ok', secretariat: '403', brazil: '403', kenya: '403', observer: '403', anonymous: '401', outsider: '404' },
  },
  'create a document': {
    method: 'POST',
    path: '/api/groups/cwg-ai/documents',
    body: { symbol: 'CWG-AI/:n', title: 'New', type: 'resolution' },
    expected: { chair: 'ok', secretariat: 'ok', brazil: '403', kenya: '403', observer: '403', anonymous: '401', outsider: '404' },
  },
};

describe('role matrix (ARCHITECTURE.md §2)', () => {
  let server: TestServer;
  let counter = 10;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** A fresh copy of the negotiation draft for one case. */
  function freshDocument(): string {
    const group = server.stores.accounts.requireGroup('cwg-ai');
    const id = server.stores.documents.create({ groupId: group.id, symbol: `CWG-AI/${counter++}`, title: 'Matrix', type: 'resolution', createdBy: null }).id;
    server.stores.log.append([{ documentId: id, update: initialTextUpdate(negotiationDoc()) }]);
    return id;
  }

  /** The stored text, as a node (a taken-back update stores its correction with it: the text is what counts). */
  const storedTextOf = (id: string) => {
    const doc = server.stores.log.replay(id);
    const text = strictDocument(doc.getXmlFragment(TEXT_FRAGMENT), schema);
    doc.destroy();
    return text;
  };

  const snapshotOf = (id: string) => {
    const doc = server.stores.log.replay(id);
    const bytes = Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))).toString('hex');
    doc.destroy();
    return bytes;
  };

  async function tryEdit(who: Who, edit: (doc: PMNode) => EditorState): Promise<Outcome> {
    const documentId = freshDocument();
    if (who === 'anonymous') return String(await upgradeStatus(`${server.wsUrl}/${documentId}`)) as Outcome;
    if (who === 'outsider') return String(await upgradeStatus(`${server.wsUrl}/${documentId}?token=${server.users.outsider!.token}`)) as Outcome;
    const before = snapshotOf(documentId);
    const beforeText = storedTextOf(documentId);
    const client = connect(server, who, documentId);
    try {
      await synced(client);
      editShared(client.doc, edit);
      const deadline = Date.now() + 1500;
      const refused = () => client.closes.some((c) => c.code === CLOSE.refused) || client.notices.length > 0;
      while (Date.now() < deadline) {
        if (refused()) break;
        if (!storedTextOf(documentId).eq(beforeText)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 50)); // a notice follows its correction
      if (refused()) {
        expect(storedTextOf(documentId).eq(beforeText), `${who}: refused, yet the stored text changed`).toBe(true);
        expect(
          client.closes.filter((c) => c.code === CLOSE.refused),
          `${who}: a taken-back change leaves the sender connected`,
        ).toEqual([]);
        return 'refused';
      }
      return snapshotOf(documentId) !== before ? 'ok' : 'dropped';
    } finally {
      client.destroy();
    }
  }

  async function tryCall(who: Who, call: (typeof CALLS)[string]): Promise<Outcome> {
    const documentId = freshDocument();
    const before = snapshotOf(documentId);
    const headers: Record<string, string> = who === 'anonymous' ? {} : { authorization: `Bearer ${server.users[who]!.token}` };
    const response = await server.app.inject({
      method: call.method,
      url: call.path.replace(':doc', documentId),
      headers,
      ...(call.body ? { payload: JSON.parse(JSON.stringify(call.body).replace(':n', String(counter++))) } : {}),
    });
    if (response.statusCode < 300) return 'ok';
    expect(snapshotOf(documentId), `${who}: ${response.statusCode}, yet the document changed`).toBe(before);
    expect(response.json().message, `${who}: a refusal says which rule`).toMatch(/\w+ \w+/);
    return String(response.statusCode) as Outcome;
  }

  for (const [action, { edit, expected }] of Object.entries(EDITS)) {
    it(`Yjs: ${action}`, async () => {
      const outcomes = Object.fromEntries(await Promise.all(EVERYONE.map(async (who) => [who, await tryEdit(who, edit)] as const)));
      expect(outcomes).toEqual(expected);
    });
  }

  for (const [action, call] of Object.entries(CALLS)) {
    it(`HTTP: ${action}`, async () => {
      const outcomes: Record<string, Outcome> = {};
      for (const who of EVERYONE) outcomes[who] = await tryCall(who, call);
      expect(outcomes).toEqual(call.expected);
    });
  }
});
