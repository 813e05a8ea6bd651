import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import JSZip from 'jszip';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { normaliseText } from '../../shared/import/index.ts';
import { ATU, BASE, KENYA } from '../support/compilation-texts.ts';

/**
 * Compilation through the real server: a base resolution and three sources' proposals imported as
 * a secretariat would (a whole-resolution MOD pasted, a .docx with Word tracked changes, provision
 * ADD and SUP proposals with reasons), compiled into one negotiation text, cleaned by the chair.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.stores.accounts.addDelegation('cwg-ai', 'ATU');
});
afterAll(async () => {
  await server.close();
});

const as = (username: string) => ({ authorization: `Bearer ${server.users[username]!.token}` });
const post = (url: string, payload: object, user = 'secretariat') => server.app.inject({ method: 'POST', url, headers: as(user), payload });

async function importDoc(payload: Record<string, unknown>): Promise<string> {
  const response = await post('/api/groups/cwg-ai/documents/import', payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().document.id;
}

async function brackets(id: string) {
  const text = await server.app.inject({ url: `/api/documents/${id}/export?format=txt&mode=negotiation`, headers: as('observer') });
  return text.body;
}

describe('compiling proposals into a negotiation text', () => {
  let compiled = '';
  let ids: Record<string, string> = {};

  it('imports the base and three proposals and compiles them', async () => {
    const docx = readFileSync(resolve(import.meta.dirname, '../fixtures/docx/tracked-changes-mod.docx')).toString('base64');
    ids = {
      base: await importDoc({ symbol: 'RES-214', text: BASE }),
      brazil: await importDoc({ symbol: 'PP-26/12', docx, source: ['Brazil'] }),
      kenya: await importDoc({ symbol: 'PP-26/7', text: KENYA, source: ['Kenya'] }),
      arb: await importDoc({ symbol: 'PP-26/30', source: ['ATU'], text: ATU }),
    };
    const refused = await post('/api/groups/cwg-ai/compilations', { symbol: 'CWG-AI/20', baseDocumentId: ids.base, sources: [{ documentId: ids.kenya, delegation: 'Kenya' }] }, 'brazil');
    expect(refused.statusCode).toBe(403);
    const unknown = await post('/api/groups/cwg-ai/compilations', { symbol: 'CWG-AI/20', baseDocumentId: ids.base, sources: [{ documentId: ids.kenya, delegation: 'Atlantis' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('"Atlantis" is not a delegation of this group');
    const other = await post('/api/groups/cwg-ai/compilations', { symbol: 'CWG-AI/20', baseDocumentId: server.otherGroupDocumentId, sources: [{ documentId: ids.kenya, delegation: 'Kenya' }] });
    expect(other.statusCode).toBe(400);
    const asSource = await post('/api/groups/cwg-ai/compilations', { symbol: 'CWG-AI/20', baseDocumentId: ids.base, sources: [{ documentId: ids.base, delegation: 'Kenya' }] });
    expect(asSource.json().message).toContain('is the base text; it cannot also be one of the proposals');
    const twice = await post('/api/groups/cwg-ai/compilations', {
      symbol: 'CWG-AI/20',
      baseDocumentId: ids.base,
      sources: [
        { documentId: ids.kenya, delegation: 'Kenya' },
        { documentId: ids.kenya, delegation: 'Brazil' },
      ],
    });
    expect([twice.statusCode, twice.json().message]).toEqual([400, 'PP-26/7 is chosen twice; pick each proposal once']);
    const none = await post('/api/groups/cwg-ai/compilations', { symbol: 'CWG-AI/20', baseDocumentId: ids.base, sources: [] });
    expect(none.statusCode).toBe(400);
    expect(server.stores.documents.list(server.stores.accounts.requireGroup('cwg-ai').id).some((d) => d.symbol === 'CWG-AI/20')).toBe(false);
    const response = await post('/api/groups/cwg-ai/compilations', {
      symbol: 'CWG-AI/20',
      baseDocumentId: ids.base,
      sources: [
        { documentId: ids.brazil, delegation: 'Brazil' },
        { documentId: ids.kenya, delegation: 'kenya' },
        { documentId: ids.arb, delegation: 'ATU' },
      ],
    });
    expect(response.statusCode, response.body).toBe(201);
    compiled = response.json().document.id;
  });

  it('stacks each source’s wording as an alternative to the base wording, brackets ADD and SUP for their source', async () => {
    const text = await brackets(compiled);
    // untouched provision: clean
    expect(text).toContain('a)\tthat artificial intelligence (AI) technologies are increasingly used in telecommunications/ICTs;\n');
    // Brazil's tracked changes: an alternative to the base wording of considering b) and resolves 1
    expect(text).toMatch(
      /b\)\t\[Alt 1: that AI can contribute to the Sustainable Development Goals and to the WSIS action lines; \/ Alt 2: that AI can contribute to achieving the Sustainable Development Goals;\]/,
    );
    expect(text).toMatch(/1\t\[Alt 1: to continue to study AI technologies in the three Sectors; \/ Alt 2: to continue to coordinate the work on AI technologies in the three Sectors;\]/);
    expect(text).toMatch(/2\t\[Alt 1: to promote international cooperation on AI for telecommunications\/ICTs; \/ Alt 2: to promote international and regional cooperation/);
    // ADDs: Brazil's inserted provision after resolves 2, ATU's at the end of resolves
    expect(text).toMatch(/2 bis\t\[to support developing countries in building capacity for AI;\]/);
    expect(text).toMatch(/3 bis\t\[to invite Member States to share their national AI strategies;\]/);
    // ATU's SUP: the provision bracketed for ATU
    expect(text).toMatch(/c\)\t\[the work of ITU on AI for good,\]/);
    // attributions: the base wording is nobody's; each source's its own
    expect(text).toMatch(/\d\tAlternatives proposed by Brazil\n/);
    expect(text).toMatch(/\d\tAlternatives proposed by Kenya\n/);
    expect(text).toMatch(/\d\tProposed by ATU\n/);
    expect(text).not.toMatch(/proposed by ,/i);
  });

  it('answers the compilation table as JSON, HTML and Word, with references and reasons', async () => {
    const json = await server.app.inject({ url: `/api/documents/${compiled}/compilation`, headers: as('kenya') });
    expect(json.statusCode).toBe(200);
    const { table } = json.json();
    expect(table.sources.map((s: { delegation: string }) => s.delegation)).toEqual(['Brazil', 'Kenya', 'ATU']);
    const row = (section: string, label: string) => table.rows.find((r: { section: string; label: string }) => r.section === section && r.label === label);
    expect(row('resolves', '2').cells.map((c: { delegation: string; marker: string; reference: string }) => [c.delegation, c.marker, c.reference])).toEqual([['Kenya', 'MOD', 'AFR/7/1']]);
    expect(row('considering', 'c)').cells).toMatchObject([{ delegation: 'ATU', marker: 'SUP', reference: 'ATU/30/2', reasons: 'Covered by Resolution 140.' }]);
    expect(row('resolves', '3 bis').cells).toMatchObject([{ delegation: 'ATU', marker: 'ADD', reference: 'ATU/30/1', reasons: 'To learn from each other’s experience.' }]);
    const html = await server.app.inject({ url: `/api/documents/${compiled}/compilation?format=html`, headers: as('kenya') });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('<ins>and regional </ins>');
    expect(html.body).toContain('<strong>Reasons:</strong> Covered by Resolution 140.');
    const docx = await server.app.inject({ url: `/api/documents/${compiled}/compilation?format=docx`, headers: as('kenya') });
    expect(docx.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Covered by Resolution 140.');
    expect(xml).toContain('<w:strike/>');
    const plain = await server.app.inject({ url: `/api/documents/${ids.base}/compilation`, headers: as('kenya') });
    expect(plain.statusCode).toBe(404);
    const outsider = await server.app.inject({ url: `/api/documents/${compiled}/compilation`, headers: as('outsider') });
    expect(outsider.statusCode).toBe(404);
  });

  it('is cleaned by the chair’s ordinary decisions into the expected text', async () => {
    const doc = server.stores.documents.get(compiled)!;
    expect(doc.source).toEqual(['Brazil', 'Kenya', 'ATU']);
    // the chair decides through the API, bracket by bracket, from the document's brackets
    const { collectBrackets } = await import('../../shared/brackets/model.ts');
    const open = () => [...collectBrackets(server.app.hub.read(compiled)).values()];
    const decide = async (body: object) => {
      const response = await post(`/api/documents/${compiled}/decisions`, body, 'chair');
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    };
    const find = (words: string, delegation: string) => open().find((b) => b.text.includes(words) && b.delegation === delegation)!;
    await decide({ action: 'choose', optionId: find('achieving', 'Brazil').id });
    await decide({ action: 'choose', optionId: find('study AI', '').id });
    const kenya = await decide({ action: 'choose', optionId: find('regional cooperation', 'Kenya').id });
    expect(JSON.stringify(kenya)).toContain("the base text's option");
    await decide({ action: 'accept', bracketIds: [find('building capacity', 'Brazil').id] });
    await decide({ action: 'reject', bracketIds: [find('national AI strategies', 'ATU').id] });
    await decide({ action: 'reject', bracketIds: [find('AI for good', 'ATU').id] });
    expect(open()).toEqual([]);
    const clean = await server.app.inject({ url: `/api/documents/${compiled}/export?format=txt&mode=clean`, headers: as('observer') });
    expect(
      normaliseText(clean.body)
        .filter((l) => /^(\w|\d)/.test(l))
        .slice(-7),
    ).toEqual([
      'a) that artificial intelligence (AI) technologies are increasingly used in telecommunications/ICTs;',
      'b) that AI can contribute to achieving the Sustainable Development Goals;',
      'resolves',
      '1 to continue to study AI technologies in the three Sectors;',
      '2 to promote international and regional cooperation on AI for telecommunications/ICTs, in particular with developing countries;',
      '2 bis to support developing countries in building capacity for AI;',
      '3 to report to the next Plenipotentiary Conference.',
    ]);
  });
});
