import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { initialTextUpdate } from '../../server/collab/initial-text.ts';
import type { TestServer } from './server.ts';

/**
 * A draft in negotiation, for tests of brackets and decisions:
 *   recalling  a) plain text
 *              b) to [Brazil: promote [Kenya: safe] and] trusted AI
 *              c) [Kenya: all of this provision]
 *              d) measures [Alt Brazil: that ITU shall take / Alt Kenya: that Member States may take] now
 *   considering a) an agreed text (agreed)
 */
const n = schema.nodes;
const bracket = (id: string, delegation: string, extra: Record<string, string> = {}) =>
  schema.marks.bracket!.create({ id, delegation, kind: 'contested', group: '', at: '2026-11-24T09:00:00.000Z', ...extra });
const text = (value: string, ...marks: ReturnType<typeof bracket>[]) => schema.text(value, marks);
const provision = (id: string, content: PMNode[], attrs: Record<string, unknown> = {}) => n.provision!.create({ id, ...attrs }, n.paragraph!.create(null, content));
const section = (id: string, keyword: string, part: string, provisions: PMNode[]) =>
  n.section!.create({ id, part, numbering: 'letters' }, [n.keyword!.create(null, schema.text(keyword)), ...provisions]);

export const BRAZIL_BRACKET = bracket('b-br', 'Brazil');
export const KENYA_NESTED = bracket('b-ke', 'Kenya');

export function negotiationDoc(): PMNode {
  const doc = n.doc!.create(null, [
    section('s-1', 'recalling', 'preamble', [
      provision('p-a', [text('plain text')]),
      provision('p-b', [text('to '), text('promote ', BRAZIL_BRACKET), text('safe', BRAZIL_BRACKET, KENYA_NESTED), text(' and', BRAZIL_BRACKET), text(' trusted AI')]),
      provision('p-c', [text('all of this provision', bracket('b-whole', 'Kenya'))]),
      provision('p-d', [
        text('measures '),
        text('that ITU shall take', bracket('b-a1', 'Brazil', { kind: 'alternative', group: 'g-1' })),
        text('that Member States may take', bracket('b-a2', 'Kenya', { kind: 'alternative', group: 'g-1' })),
        text(' now'),
      ]),
    ]),
    section('s-2', 'considering', 'preamble', [provision('p-e', [text('an agreed text')], { status: 'agreed' })]),
  ]);
  doc.check();
  return doc;
}

/** Stores the negotiation draft as the text of the test server's document, before anyone opens it. */
export function seedNegotiation(server: TestServer, documentId = server.documentId): PMNode {
  const doc = negotiationDoc();
  server.stores.log.append([{ documentId, update: initialTextUpdate(doc) }]);
  return doc;
}
