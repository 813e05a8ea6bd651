import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { TextSelection } from 'prosemirror-state';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { connect, synced, until } from '../support/client.ts';
import type { TestClient } from '../support/client.ts';
import { editShared, run, stateAt, typeText } from '../support/editing.ts';
import { bracketSelection, offerAlternative } from '../../shared/brackets/commands.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/**
 * Golden tests of the exports: each fixture imported, brackets added and decided, exported in every
 * format and mode through the API; the DOCX read back (its XML and its text), the Akoma Ntoso
 * validated against the Akoma Ntoso 3.0 schema with xmllint, a clean export with open brackets refused with the list of them.
 */
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures', name), 'utf8');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
/** The OASIS Akoma Ntoso 3.0 schema, kept beside the project (see its README). */
const akomaNtosoSchema = join(import.meta.dirname, '../fixtures/akomantoso30/akomantoso30.xsd');

describe('exports for Council', () => {
  let server: TestServer;
  let resolutionId: string;
  let councilId: string;
  let brazil: TestClient;

  const auth = (who: string) => ({ authorization: `Bearer ${server.users[who]!.token}` });
  const exportOf = (id: string, format: string, mode: string, extra = '') => server.app.inject({ url: `/api/documents/${id}/export?format=${format}&mode=${mode}${extra}`, headers: auth('kenya') });

  beforeAll(async () => {
    server = await startServer();
    const imported = await server.app.inject({
      method: 'POST',
      url: '/api/groups/cwg-ai/documents/import',
      headers: auth('secretariat'),
      payload: { symbol: 'CWG-AI/7', text: fixture('draft-new-resolution-ai.txt') },
    });
    resolutionId = imported.json().document.id;
    const council = await server.app.inject({
      method: 'POST',
      url: '/api/groups/cwg-ai/documents/import',
      headers: auth('secretariat'),
      payload: { symbol: 'C24/XX', type: 'council-document', text: fixture('council-proposal-cwg-ai.txt') },
    });
    councilId = council.json().document.id;
    // Brazil brackets two phrases and offers an alternative; the chair rejects one bracket
    brazil = connect(server, 'brazil', resolutionId);
    await synced(brazil);
    const select = (phrase: string) => (d: import('prosemirror-model').Node) => {
      const at = stateAt(d, phrase, 'start');
      return at.apply(at.tr.setSelection(TextSelection.create(d, at.selection.from, at.selection.from + phrase.length)));
    };
    editShared(brazil.doc, (d) => run(select('and annually to Council')(d), bracketSelection('Brazil')));
    editShared(brazil.doc, (d) => run(select('information sharing')(d), bracketSelection('Brazil', 'awaiting')));
    editShared(brazil.doc, (d) => run(select('relevant stakeholders')(d), offerAlternative('Brazil', 'all stakeholders')));
    editShared(brazil.doc, (d) => typeText(stateAt(d, 'Transforming our world', 'start'), '<script>alert(1)</script> '));
    await until(() => server.stores.log.state(resolutionId).length > 0 && server.app.hub.state(resolutionId).length > 0, 'the edits to be stored');
    await new Promise((r) => setTimeout(r, 150));
  });
  afterAll(async () => {
    brazil.destroy();
    await server.close();
  });

  it('refuses a clean export while brackets are open, listing them; keeps them when asked', async () => {
    const refused = await exportOf(resolutionId, 'txt', 'clean');
    expect(refused.statusCode).toBe(409);
    // an alternatives group is one open question; the refusal tells a delegate to ask the chair
    expect(refused.json().message).toMatch(
      /still has 3 open questions \(2 brackets, 1 alternative \(2 options\)\), so it is not clean: .*\(Brazil\): “and annually to Council”.*Ask the chair to decide on them/,
    );
    const kept = await exportOf(resolutionId, 'txt', 'clean', '&brackets=keep');
    expect(kept.statusCode).toBe(200);
    expect(kept.body).toContain('[and annually to Council]');
    expect(kept.body).not.toContain('proposed by Brazil');
  });

  it('exports every format in negotiation mode, brackets shown with who proposed them', async () => {
    const txt = await exportOf(resolutionId, 'txt', 'negotiation');
    expect(txt.body).toMatch(/\[and annually to Council\]¹?\d*/);
    expect(txt.body).toContain('[Alt 1: relevant stakeholders / Alt 2: all stakeholders]');
    expect(txt.body).toMatch(/\n\d+\tProposed by Brazil\n/);
    expect(txt.body).toMatch(/\n\d+\tAwaiting instructions: Brazil\n/);

    const md = await exportOf(resolutionId, 'md', 'negotiation');
    expect(md.body).toContain('*recalling*');
    expect(md.body).toContain('\\<script\\>');
    expect(md.body).toMatch(/\[\^\d+\]: Proposed by Brazil/);

    const html = await exportOf(resolutionId, 'html', 'negotiation');
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.body).not.toContain('<script>');
    expect(html.body).toContain('<p class="keyword"><i>recalling</i></p>');
    expect(html.headers['content-disposition']).toMatch(/filename="CWG-AI-7-negotiation\.html"/);
  });

  it('writes a DOCX in ITU layout: labels, italic keywords, bracket footnotes; MOD underlined and SUP struck in revisions mode', async () => {
    const negotiation = await JSZip.loadAsync((await exportOf(resolutionId, 'docx', 'negotiation')).rawPayload);
    expect(await negotiation.file('word/footnotes.xml')!.async('string')).toContain('Proposed by Brazil');
    // clean the brackets so the clean text can go to Council
    const decided = await server.app.inject({
      method: 'POST',
      url: `/api/documents/${resolutionId}/decisions`,
      headers: auth('chair'),
      payload: { action: 'reject', scope: { delegation: 'Brazil' } },
    });
    expect(decided.statusCode).toBe(201);
    const clean = await exportOf(resolutionId, 'docx', 'clean');
    expect(clean.statusCode).toBe(200);
    expect(clean.headers['content-type']).toMatch(/wordprocessingml/);
    const zip = await JSZip.loadAsync(clean.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toMatch(/<w:i\/>.*?recalling/s);
    const text = (await mammoth.extractRawText({ buffer: clean.rawPayload })).value;
    expect(text).toMatch(/a\)\tResolution 70\/1/);
    expect(text).toMatch(/\n1\tto coordinate the activities/);
    expect(text).not.toContain('and annually to Council'); // rejected
    const header = (await zip.file('word/header1.xml')?.async('string')) ?? '';
    const headers =
      header +
      (
        await Promise.all(
          Object.keys(zip.files)
            .filter((f) => /header\d+\.xml$/.test(f))
            .map((f) => zip.file(f)!.async('string')),
        )
      ).join('');
    expect(headers).toContain('CWG-AI/7');
    expect(headers).toContain('Original: English');
    const styles = await zip.file('word/styles.xml')!.async('string');
    expect(styles).toContain('Times New Roman');
    writeFileSync(join(server.dataDir, 'clean.docx'), clean.rawPayload);

    // a proposal against the draft: MOD with underline and strike, SUP struck, reasons
    const base = await server.app.inject({
      method: 'POST',
      url: '/api/groups/cwg-ai/documents/import',
      headers: auth('secretariat'),
      payload: { symbol: 'CWG-AI/8', text: fixture('draft-new-resolution-ai.txt'), fromBase: true },
    });
    const proposalId = base.json().document.id;
    const editor = connect(server, 'kenya', proposalId);
    await synced(editor);
    editShared(editor.doc, (d) => typeText(stateAt(d, 'Resolution 70/125'), ' (as reviewed in 2025)'));
    await until(() => server.app.hub.state(proposalId).length > 0 && editor.doc.getXmlFragment(TEXT_FRAGMENT).toString().includes('reviewed in 2025'), 'the edit');
    await new Promise((r) => setTimeout(r, 150));
    const revisions = await exportOf(proposalId, 'docx', 'revisions');
    const revisionXml = await (await JSZip.loadAsync(revisions.rawPayload)).file('word/document.xml')!.async('string');
    expect(revisionXml).toMatch(/<w:u w:val="single"\/>.*?reviewed in 2025/s);
    expect(revisionXml).toMatch(/<w:b\/>.*?MOD/s);
    const revisionText = (await mammoth.extractRawText({ buffer: revisions.rawPayload })).value;
    expect(revisionText).toMatch(/NOC\n+a\)\tResolution 70\/1/);
    expect(revisionText).toMatch(/MOD\n+b\)\tResolution 70\/125/);
    editor.destroy();
  });

  it('writes Akoma Ntoso in the AKN4UN shape: preamble keyword groups, operative paragraphs with num, FRBR symbol', async () => {
    const akn = await exportOf(resolutionId, 'akn', 'clean');
    expect(akn.statusCode).toBe(200);
    const xml = akn.body;
    expect(xml).toContain('<statement name="resolution"');
    expect(xml).toContain('<FRBRnumber value="CWG-AI/7"/>');
    expect(xml).toMatch(/<preamble><formula name="enactingFormula">/);
    expect(xml).toMatch(/<container name="recalling" eId="preamble__container_\d+"><p class="keyword"><i>recalling<\/i><\/p><blockList/);
    expect(xml).toMatch(/<hcontainer name="operativeSection"[^>]*><heading><i>instructs the Secretary-General/);
    expect(xml).toMatch(/<paragraph eId="para_\d+"><num>1<\/num><content><p>to coordinate the activities/);
    if (hasXmllint) {
      const file = join(server.dataDir, 'resolution.akn.xml');
      writeFileSync(file, xml);
      const check = spawnSync('xmllint', ['--noout', '--schema', akomaNtosoSchema, file], { encoding: 'utf8' });
      expect(check.stderr).toBe(`${file} validates\n`);
      const count = spawnSync('xmllint', ['--xpath', "count(//*[local-name()='mainBody']//*[local-name()='paragraph'])", file], { encoding: 'utf8' });
      expect(Number(count.stdout)).toBeGreaterThanOrEqual(9);
    }
    const council = await exportOf(councilId, 'akn', 'clean');
    expect(council.body).toContain('<doc name="councilDocument"');
  });

  it('exports the Council document in every format', async () => {
    for (const format of ['txt', 'md', 'html', 'docx', 'akn']) {
      const response = await exportOf(councilId, format, 'clean');
      expect(response.statusCode, format).toBe(200);
      expect(response.rawPayload.length, format).toBeGreaterThan(500);
    }
  });
});
