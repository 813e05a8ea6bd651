import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { prosemirrorToYXmlFragment } from 'y-prosemirror';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { editShared, outline, run, stateAt, typeText } from '../support/editing.ts';
import { schema } from '../../shared/schema/index.ts';
import { importText } from '../../shared/import/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { splitProvision, sinkProvision } from '../../shared/editing/provisions.ts';
import { cycleNumbering, insertSection } from '../../shared/editing/sections.ts';

/**
 * Two delegations changing the structure of the same resolution at the same moment, through the
 * real server: both replicas and a fresh client must end identical, schema-valid (read strictly,
 * nothing dropped) and numbered right.
 */
const fixture = readFileSync(resolve(import.meta.dirname, '../fixtures/draft-new-resolution-ai.txt'), 'utf8');

const docOf = (client: TestClient): PMNode => strictDocument(client.doc.getXmlFragment(TEXT_FRAGMENT), schema);
/** Same insertions and same deletions (a state vector alone does not see deletions). */
const sameState = (a: TestClient, b: TestClient) => Buffer.from(Y.encodeSnapshot(Y.snapshot(a.doc))).equals(Buffer.from(Y.encodeSnapshot(Y.snapshot(b.doc))));

/** The keyword of each section with its provisions' labels, for comparing structure at a glance. */
function sections(doc: PMNode): string[] {
  const out: string[] = [];
  doc.forEach((node) => {
    if (node.type.name === 'section')
      out.push(
        `${node.firstChild!.textContent}: ${outline(node.type.schema.topNodeType.create(null, node))
          .map((l) => (l.startsWith('  ') ? `>${l.trim().split(' ')[0]}` : l.split(' ')[0]))
          .join(' ')}`,
      );
  });
  return out;
}

describe('two delegations changing the structure at once', () => {
  let server: TestServer;
  let brazil: TestClient;
  let kenya: TestClient;

  beforeEach(async () => {
    server = await startServer();
    brazil = connect(server, 'brazil');
    kenya = connect(server, 'kenya');
    await Promise.all([synced(brazil), synced(kenya)]);
    const fragment = brazil.doc.getXmlFragment(TEXT_FRAGMENT);
    brazil.doc.transact(() => prosemirrorToYXmlFragment(importText(fixture, 'resolution').doc, fragment));
    await until(() => kenya.doc.getXmlFragment(TEXT_FRAGMENT).length === fragment.length && sameState(brazil, kenya), 'the text to reach Kenya');
  });

  afterEach(async () => {
    brazil.destroy();
    kenya.destroy();
    await server.close();
  });

  /** Waits until both replicas hold the same updates, then checks them against each other and a newcomer. */
  async function converged(): Promise<PMNode> {
    await until(() => sameState(brazil, kenya), 'the two replicas to converge');
    const a = docOf(brazil);
    const b = docOf(kenya);
    expect(a.eq(b)).toBe(true);
    const newcomer = connect(server, 'chair');
    await synced(newcomer);
    expect(docOf(newcomer).eq(a)).toBe(true);
    newcomer.destroy();
    return a;
  }

  it('both insert a provision in the same section: both kept, renumbered identically', async () => {
    const before = sections(docOf(brazil));
    expect(before[0]).toBe('recalling: a) b) c) d)');
    // Same tick on both sides: neither has seen the other's edit when making its own.
    editShared(brazil.doc, (doc) => typeText(run(stateAt(doc, 'Agenda for Sustainable Development;'), splitProvision), 'Brazil adds a reference'));
    editShared(kenya.doc, (doc) => typeText(run(stateAt(doc, 'Agenda for Sustainable Development;'), splitProvision), 'Kenya adds a reference'));
    const doc = await converged();
    const recalling = outline(doc).slice(0, 6);
    expect(recalling.map((line) => line.split(' ')[0])).toEqual(['a)', 'b)', 'c)', 'd)', 'e)', 'f)']);
    expect(recalling.filter((line) => / adds a reference$/.test(line)).length).toBe(2);
    expect(recalling[1]!.endsWith('adds a reference') && recalling[2]!.endsWith('adds a reference')).toBe(true);
    expect(sections(doc).slice(1)).toEqual(before.slice(1));
  });

  it('one deletes a section while the other types in it: the section is gone on both, the rest intact', async () => {
    const before = sections(docOf(brazil));
    const recognizing = before.findIndex((s) => s.startsWith('recognizing'));
    expect(recognizing).toBeGreaterThan(0);
    editShared(brazil.doc, (doc) => {
      const state = stateAt(doc, 'recognizing');
      const { $from } = state.selection;
      return state.apply(state.tr.delete($from.before(1), $from.after(1)));
    });
    editShared(kenya.doc, (doc) => typeText(stateAt(doc, 'plays an important role'), ' (Kenya was typing here)'));
    const doc = await converged();
    expect(sections(doc)).toEqual(before.filter((_, i) => i !== recognizing));
    expect(doc.textContent).not.toContain('Kenya was typing here');
  });

  it('one inserts a section while the other renumbers and indents in the section before it', async () => {
    editShared(brazil.doc, (doc) => typeText(run(stateAt(doc, 'Agenda for Sustainable Development;'), insertSection('considering further')), 'that the pace of AI is without precedent'));
    editShared(kenya.doc, (doc) => run(run(stateAt(doc, 'Resolution 70/125'), sinkProvision), cycleNumbering));
    const doc = await converged();
    const [recalling, inserted] = sections(doc);
    expect(recalling).toBe('recalling: 1 >1.1 2 3');
    expect(inserted).toBe('considering further: a)');
  });
});
