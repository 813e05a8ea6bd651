import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as Y from 'yjs';
import { Document, FootnoteReferenceRun, Packer, Paragraph, TextRun } from 'docx';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import { normaliseText } from '../../shared/import/index.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures', name), 'utf8');

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const as = (username: string) => ({ authorization: `Bearer ${server.users[username]!.token}` });

async function importAs(username: string, payload: Record<string, unknown>) {
  return server.app.inject({ method: 'POST', url: '/api/groups/cwg-ai/documents/import', headers: as(username), payload });
}

async function exportText(id: string, mode = 'clean', username = 'observer') {
  const response = await server.app.inject({ url: `/api/documents/${id}/export?format=txt&mode=${mode}`, headers: as(username) });
  expect(response.statusCode).toBe(200);
  return response.body;
}

describe('import', () => {
  it('imports a pasted resolution as structured text that exports back to the source', async () => {
    const source = fixture('draft-new-resolution-ai.txt');
    const response = await importAs('secretariat', { symbol: 'CWG-AI/10', text: source });
    expect(response.statusCode).toBe(201);
    const { document, problems } = response.json();
    expect(problems).toEqual([]);
    expect(document).toMatchObject({ symbol: 'CWG-AI/10', type: 'resolution', title: 'Artificial Intelligence (AI) technologies and telecommunications/ICTs' });
    // the text as negotiated reads back as the source; the clean text for Council drops the proposal line
    const exported = await exportText(document.id, 'negotiation');
    expect(normaliseText(exported)).toEqual(normaliseText(source));
    const clean = await exportText(document.id);
    expect(clean).not.toContain('AD HOC WGPL/47/1');
    expect(normaliseText(clean)).toEqual(normaliseText(source).filter((line) => line !== 'MOD AD HOC WGPL/47/1'));
    const download = await server.app.inject({ url: `/api/documents/${document.id}/export?format=txt`, headers: as('kenya') });
    expect(download.headers['content-disposition']).toBe('attachment; filename="CWG-AI-10-clean.txt"');
  });

  it('imports a Council document and recognises it as one', async () => {
    const response = await importAs('chair', { symbol: 'C24/99', title: 'Proposal for a working group on AI', text: fixture('council-proposal-cwg-ai.txt') });
    expect(response.json().document.type).toBe('council-document');
  });

  it('imports a .docx with its footnote', async () => {
    const docx = new Document({
      footnotes: { 1: { children: [new Paragraph('As revised in Bucharest, 2022.')] } },
      sections: [
        {
          children: [
            new Paragraph('Draft New Resolution [WGPL-YY]'),
            new Paragraph('Use of AI in telecommunications'),
            new Paragraph('recalling'),
            new Paragraph({ children: [new TextRun('a)\tResolution 214'), new FootnoteReferenceRun(1), new TextRun(' of the Plenipotentiary Conference;')] }),
            new Paragraph('resolves'),
            new Paragraph('1\tto continue the work on AI.'),
          ],
        },
      ],
    });
    const response = await importAs('secretariat', { symbol: 'CWG-AI/11', docx: (await Packer.toBuffer(docx)).toString('base64') });
    expect(response.statusCode).toBe(201);
    expect(response.json().document.title).toBe('Use of AI in telecommunications');
    const exported = await exportText(response.json().document.id);
    expect(exported).toContain('a)\tResolution 214¹ of the Plenipotentiary Conference;');
    expect(exported).toContain('1\tAs revised in Bucharest, 2022.');
  });

  it('reports the lines it could not place and imports the rest', async () => {
    const response = await importAs('secretariat', { symbol: 'CWG-AI/12', title: 'Messy', text: 'recalling\na)\tone\nc)\tthree\nresolves\n1\tact' });
    expect(response.statusCode).toBe(201);
    expect(response.json().problems).toEqual([{ line: 3, text: 'c)\tthree', message: expect.stringMatching(/will read b\)/) }]);
  });

  it('refuses a delegate, an unreadable .docx and an empty text, saying why', async () => {
    const delegate = await importAs('brazil', { symbol: 'CWG-AI/13', text: 'recalling\na)\tx' });
    expect(delegate.statusCode).toBe(403);
    const broken = await importAs('secretariat', { symbol: 'CWG-AI/14', docx: Buffer.from('not a zip file').toString('base64') });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/not a readable \.docx/);
    const empty = await importAs('secretariat', { symbol: 'CWG-AI/15', text: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/nothing to import/);
  });
});

describe('export', () => {
  it("refuses another group's member and an unknown format", async () => {
    const outsider = await server.app.inject({ url: `/api/documents/${server.documentId}/export?format=txt`, headers: as('outsider') });
    expect(outsider.statusCode).toBe(404); // another group's document is as unknown as an id never given
    const format = await server.app.inject({ url: `/api/documents/${server.documentId}/export?format=pdf`, headers: as('chair') });
    expect(format.statusCode).toBe(400);
  });
});

describe('a proposal started from a base text', () => {
  it('starts every provision as NOC and turns an edited one into MOD with bis numbering for a new one', async () => {
    const base = 'resolves\n1\tto continue the work on AI;\n2\tto report to Council.';
    const response = await importAs('secretariat', { symbol: 'CWG-AI/20', text: base, title: 'Proposed modifications', fromBase: true, baseReference: 'Resolution 214 (Rev. Bucharest, 2022)' });
    const id = response.json().document.id;
    expect(await exportText(id, 'revisions')).toBe('resolves\nNOC\n1\tto continue the work on AI;\nNOC\n2\tto report to Council.\n');

    const brazil = connect(server, 'brazil', id);
    await synced(brazil);
    const section = brazil.doc.getXmlFragment(TEXT_FRAGMENT).get(0) as Y.XmlElement;
    const first = section.get(1) as Y.XmlElement;
    ((first.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert('to continue'.length, ' and strengthen');
    brazil.doc.transact(() => {
      const added = new Y.XmlElement('provision');
      added.setAttribute('id', 'p-new');
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('to set up an AI repository;')]);
      added.insert(0, [paragraph]);
      section.insert(2, [added]);
    });
    await until(() => /strengthen/.test(new TextDecoder().decode(server.stores.log.state(id))), 'the edit to be stored');
    brazil.destroy();
    expect(await exportText(id, 'revisions')).toBe('resolves\nMOD\n1\tto continue and strengthen the work on AI;\nADD\n1 bis\tto set up an AI repository;\nNOC\n2\tto report to Council.\n');
    expect(await exportText(id, 'clean')).toBe('resolves\n1\tto continue and strengthen the work on AI;\n1 bis\tto set up an AI repository;\n2\tto report to Council.\n');
  });
});
