import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import JSZip from 'jszip';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';

/** A proposal's cover block: the document's metadata after import, printed once in the exports' header, never in the text. */
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
const auth = { authorization: () => `Bearer ${server.users.secretariat!.token}` };

describe('a proposal with a cover block', () => {
  it('keeps the cover as metadata and prints it once, in the header', async () => {
    const text = readFileSync(resolve(import.meta.dirname, '../fixtures/itu/wrc15-eur-add20-doc9.txt'), 'utf8');
    const imported = await server.app.inject({
      method: 'POST',
      url: '/api/groups/cwg-ai/documents/import',
      headers: { authorization: auth.authorization() },
      payload: { symbol: 'WRC-15/9(Add.20)', text, source: ['Brazil'] },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const { document } = imported.json();
    const record = server.stores.documents.get(document.id)!;
    expect(record.cover).toMatchObject({ conference: 'World Radiocommunication Conference (WRC-15)', original: 'English', source: 'European Common Proposals' });
    expect(record.cover.document).toMatch(/Addendum 20 to\s+Document 9-E/);
    expect(record.documentDate).toBe('2015-06-17');
    expect(record.source).toEqual(['Brazil']);

    const html = (await server.app.inject({ url: `/api/documents/${document.id}/export?format=html&mode=revisions`, headers: { authorization: auth.authorization() } })).body;
    expect(html.match(/World Radiocommunication Conference \(WRC-15\)/g)).toHaveLength(1);
    expect(html).toMatch(/<header class="cover">.*World Radiocommunication Conference \(WRC-15\).*Source: European Common Proposals.*<\/header>/s);
    const txt = (await server.app.inject({ url: `/api/documents/${document.id}/export?format=txt&mode=revisions`, headers: { authorization: auth.authorization() } })).body;
    expect(txt).not.toContain('Original: English');
    const docx = await server.app.inject({ url: `/api/documents/${document.id}/export?format=docx&mode=revisions`, headers: { authorization: auth.authorization() } });
    const zip = await JSZip.loadAsync(docx.rawPayload);
    const headers = await Promise.all(
      Object.keys(zip.files)
        .filter((name) => /^word\/header\d*\.xml$/.test(name))
        .map((name) => zip.file(name)!.async('string')),
    );
    expect(headers.join('').match(/World Radiocommunication Conference \(WRC-15\)/g)).toHaveLength(1);
    const body = await zip.file('word/document.xml')!.async('string');
    expect(body).not.toContain('World Radiocommunication Conference (WRC-15)');
  });
});
