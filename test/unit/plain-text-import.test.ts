import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { plainTextToDoc } from '../../server/import/plain-text.ts';
import { initialTextUpdate } from '../../server/collab/initial-text.ts';
import { schema } from '../../shared/schema.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../../server/demo/texts', name), 'utf8');

describe('plain-text reading of the fixtures (demo data)', () => {
  it('reads the draft resolution: title, italic keywords, labelled provisions, no artefacts', () => {
    const doc = plainTextToDoc(fixture('draft-new-resolution-ai.txt'));
    doc.check();
    const blocks: { type: string; text: string; italic: boolean }[] = [];
    doc.forEach((node) => blocks.push({ type: node.type.name, text: node.textContent, italic: node.firstChild?.marks.some((m) => m.type.name === 'em') ?? false }));
    expect(blocks.filter((b) => b.type === 'heading').map((b) => b.text)).toEqual([
      'Draft New Resolution [WGPL-XX]',
      'Artificial Intelligence (AI) technologies and telecommunications/ICTs',
    ]);
    const keywords = blocks.filter((b) => b.italic).map((b) => b.text);
    expect(keywords).toEqual(expect.arrayContaining(['recalling', 'recognizing', 'noting', 'considering', 'resolves', 'instructs the ITU Council']));
    expect(blocks.some((b) => b.text.startsWith('d) Resolution 140 (Rev. Dubai, 2018)'))).toBe(true);
    expect(doc.textContent).not.toMatch(/\[bookmark:|\[footnoteRef:|\t/);
  });

  it('reads the Council document: headings, numbered paragraphs and the dash list', () => {
    const doc = plainTextToDoc(fixture('council-proposal-cwg-ai.txt'));
    doc.check();
    const headings: string[] = [];
    let bulletItems = 0;
    doc.forEach((node) => {
      if (node.type.name === 'heading') headings.push(node.textContent);
      if (node.type.name === 'bullet_list') bulletItems += node.childCount;
    });
    expect(headings).toEqual(['Purpose', 'Action required by the Council', 'References', '1 Background', '2 Discussion', '3 Proposals']);
    expect(bulletItems).toBe(4);
    expect(doc.textContent).not.toContain('[bookmark:');
  });

  it('round-trips through the Yjs document the editor binds to', () => {
    const original = plainTextToDoc(fixture('draft-new-resolution-ai.txt'));
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, initialTextUpdate(original));
    const back = yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(TEXT_FRAGMENT), schema);
    expect(back.eq(original)).toBe(true);
  });
});
