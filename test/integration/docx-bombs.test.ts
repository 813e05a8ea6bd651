import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { Document, Packer, Paragraph } from 'docx';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';

/**
 * Crafted .docx files through the real import route: zip bombs (honest and lying about their
 * size), XML external entities and billion laughs, things that are not a Word document at all.
 * Each is refused with 400 saying what is wrong and what to do, nothing is stored, and the server
 * goes on answering.
 */
let server: TestServer;
let symbols = 100;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

interface Part {
  name: string;
  data?: Buffer;
  /** Already deflated, with the size and CRC the zip declares for it. */
  deflated?: { bytes: Buffer; size: number; crc: number };
}

/** A zip as Word writes one: each part deflated, a central directory, no comment. */
function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const bytes = part.deflated?.bytes ?? deflateRawSync(part.data!);
    const size = part.deflated?.size ?? part.data!.length;
    const crc = part.deflated?.crc ?? crc32(part.data!);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(bytes.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(bytes.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, bytes);
    centrals.push(central, name);
    offset += 30 + name.length + bytes.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * `head`, `copies` × one MiB of "a", `tail`, deflated without ever being held whole: each piece is
 * a sync-flushed deflate block, and the copies of one block can follow each other.
 */
function inflatesTo(head: string, copies: number, tail: string): Part['deflated'] {
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  const flushed = (data: Buffer) => deflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
  const block = flushed(chunk);
  let crc = crc32(head);
  for (let i = 0; i < copies; i++) crc = crc32(chunk, crc);
  crc = crc32(tail, crc);
  const bytes = Buffer.concat([flushed(Buffer.from(head)), ...Array<Buffer>(copies).fill(block), flushed(Buffer.from(tail)), Buffer.from([0x03, 0x00])]);
  return { bytes, size: head.length + copies * chunk.length + tail.length, crc };
}

/** The parts of a real .docx (made by the `docx` library, as exports are). */
async function wordParts(): Promise<Part[]> {
  const made = await Packer.toBuffer(new Document({ sections: [{ children: ['Draft Resolution', 'Use of AI', 'resolves', '1\tto act.'].map((t) => new Paragraph(t)) }] }));
  const archive = await JSZip.loadAsync(made);
  const parts: Part[] = [];
  for (const file of Object.values(archive.files)) if (!file.dir) parts.push({ name: file.name, data: await file.async('nodebuffer') });
  return parts;
}

/** The real .docx with its document.xml given as a function of the original. */
async function withDocument(change: (xml: string) => Part): Promise<Buffer> {
  const parts = await wordParts();
  return zip(parts.map((part) => (part.name === 'word/document.xml' ? change(part.data!.toString()) : part)));
}

const documents = () => (server.stores.db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;

async function importDocx(file: Buffer) {
  return server.app.inject({
    method: 'POST',
    url: '/api/groups/cwg-ai/documents/import',
    headers: { authorization: `Bearer ${server.users.secretariat!.token}` },
    payload: { symbol: `CWG-AI/${symbols++}`, docx: file.toString('base64') },
  });
}

describe('crafted .docx files', () => {
  const paragraphs = /<w:body>[\s\S]*<\/w:body>/;
  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    [
      'a zip bomb: a document.xml of 300 MB of one letter, in a few hundred KB',
      () =>
        withDocument((xml) => {
          const [head, tail] = xml.split(paragraphs);
          return { name: 'word/document.xml', deflated: inflatesTo(`${head}<w:body><w:p><w:r><w:t>`, 300, `</w:t></w:r></w:p></w:body>${tail}`) };
        }),
      /unpacks to more than 50 MB/,
    ],
    [
      'a zip bomb that declares its 300 MB part to be 2 KB',
      () =>
        withDocument((xml) => {
          const [head, tail] = xml.split(paragraphs);
          return { name: 'word/document.xml', deflated: { ...inflatesTo(`${head}<w:body><w:p><w:r><w:t>`, 300, `</w:t></w:r></w:p></w:body>${tail}`)!, size: 2048 } };
        }),
      /word\/document\.xml unpacks to more than the 2048 bytes it declares/,
    ],
    [
      'an XML external entity (XXE)',
      () =>
        withDocument((xml) => ({
          name: 'word/document.xml',
          data: Buffer.from(xml.replace('<w:document', '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document').replace('to act.', 'to act &xxe;.')),
        })),
      /word\/document\.xml declares a DOCTYPE or entities/,
    ],
    [
      'a billion laughs (nested internal entities)',
      () =>
        withDocument((xml) => {
          const entities = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
          return { name: 'word/document.xml', data: Buffer.from(xml.replace('<w:document', `<!doctype w:document [${entities}]><w:document`).replace('to act.', 'to act &lol9;.')) };
        }),
      /declares a DOCTYPE or entities/,
    ],
    ['a file that is not a zip at all', async () => Buffer.from('Draft Resolution\nrecalling\na)\tthis is plain text, renamed .docx'), /not a zip archive/],
    ['an old Word .doc (an OLE container)', async () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), /old Word \.doc/],
    [
      'a zip without word/document.xml',
      async () =>
        zip([
          { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
          { name: 'notes.txt', data: Buffer.from('hello') },
        ]),
      /without word\/document\.xml/,
    ],
    ['a part with a name that climbs out of the archive', async () => zip([...(await wordParts()), { name: '../../etc/cron.d/evil', data: Buffer.from('x') }]), /odd name/],
    ['a zip of 5000 parts', async () => zip([...(await wordParts()), ...Array.from({ length: 5000 }, (_, i) => ({ name: `word/media/image${i}.png`, data: Buffer.from('x') }))]), /holds 50\d\d parts/],
    [
      'a cut-off file (its second half missing)',
      async () => {
        const whole = await withDocument((xml) => ({ name: 'word/document.xml', data: Buffer.from(xml) }));
        return whole.subarray(0, whole.length / 2);
      },
      /not a zip archive/,
    ],
  ];

  for (const [what, make, reason] of cases) {
    it(`refuses ${what} with 400 saying why, stores nothing, and goes on answering`, async () => {
      const before = documents();
      const answer = await importDocx(await make());
      expect(answer.statusCode).toBe(400);
      const { message } = answer.json() as { message: string };
      expect(message).toMatch(/^the file is not a readable \.docx: /);
      expect(message).toMatch(reason);
      expect(message).toMatch(/save it again as \.docx/);
      expect(documents()).toBe(before);
      expect((await server.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    });
  }

  it('imports the same file as the crafted ones are made from, so what is refused is only what was crafted', async () => {
    const answer = await importDocx(await withDocument((xml) => ({ name: 'word/document.xml', data: Buffer.from(xml) })));
    expect(answer.statusCode).toBe(201);
    expect(answer.json().document.title).toBe('Use of AI');
  });
});
