import { inflateRawSync } from 'node:zlib';
import { ImportError } from './import-error.ts';

/**
 * Checks a .docx before mammoth unpacks it. mammoth (through jszip) inflates every part it reads
 * whatever its size, and its XML parser takes a DOCTYPE: a 400 KB file of one repeated letter
 * inflated to 400 MB held the event loop 7 s and took 1.7 GB. Here the zip's own table (the
 * central directory, read as jszip reads it) is checked first: how many parts, their names, and
 * the total they say they unpack to. Only then is each part inflated, never past the size it
 * declares (a part that says 1 KB and holds 400 MB is stopped at 1 KB), and searched for the
 * DOCTYPE and ENTITY declarations Word never writes.
 */
export const DOCX_LIMITS = {
  /** Word writes a few dozen parts (and one per picture). */
  entries: 1000,
  /** All parts unpacked, pictures included; a resolution is well under 5 MB. */
  unpackedBytes: 50 * 1024 * 1024,
  /**
   * The XML parts unpacked, which mammoth parses into a tree: 10 MB is some 24,000 paragraphs of
   * Word's XML and takes about 4 s and 600 MB on the thread (a resolution has well under 1 MB).
   */
  xmlBytes: 10 * 1024 * 1024,
};

const AGAIN = 'open it in Word, save it again as .docx (Word Document) and import that file';
/** The refusal of a file, saying what is wrong with it and what to do. */
export const refuse = (what: string) => new ImportError(`the file is not a readable .docx: ${what}; ${AGAIN}`);

const END = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

interface Part {
  name: string;
  method: number;
  data: Buffer;
  size: number;
}

/** Throws an ImportError saying what is wrong with the file; returns when mammoth may read it. */
export function checkDocx(file: Buffer): void {
  const parts = readCentralDirectory(file);
  if (!parts.some((part) => part.name === 'word/document.xml')) {
    throw refuse('it is a zip archive without word/document.xml, so not a Word document');
  }
  for (const part of parts) {
    const content = unpack(part);
    if (declaresEntities(content)) {
      throw refuse(`its part ${part.name} declares a DOCTYPE or entities, which Word never writes (the file was made to attack the XML reader, or by an unusual program)`);
    }
  }
}

function readCentralDirectory(file: Buffer): Part[] {
  if (file.subarray(0, 4).equals(OLE)) throw refuse('it is an old Word .doc file or a password-protected document');
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > file.length || file.readUInt32LE(end) !== END) throw refuse('it is not a zip archive, as every .docx is');
  const count = file.readUInt16LE(end + 10);
  const size = file.readUInt32LE(end + 12);
  const start = file.readUInt32LE(end + 16);
  if (file.readUInt16LE(end + 4) !== 0 || file.readUInt16LE(end + 6) !== 0 || file.readUInt16LE(end + 8) !== count) throw refuse('it is one piece of a zip archive split across several files');
  if (count === 0xffff || size === 0xffffffff || start === 0xffffffff) throw refuse('it is a ZIP64 archive, which Word does not write for a document');
  if (count > DOCX_LIMITS.entries) throw refuse(`it holds ${count} parts, more than the ${DOCX_LIMITS.entries} a Word document could have`);
  if (start + size !== end) throw refuse('its table of contents is damaged');

  const parts: Part[] = [];
  const names = new Set<string>();
  let unpacked = 0;
  let xml = 0;
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || file.readUInt32LE(at) !== CENTRAL) throw refuse('its table of contents is damaged');
    const flags = file.readUInt16LE(at + 8);
    const method = file.readUInt16LE(at + 10);
    const compressed = file.readUInt32LE(at + 20);
    const declared = file.readUInt32LE(at + 24);
    const nameLength = file.readUInt16LE(at + 28);
    const local = file.readUInt32LE(at + 42);
    const name = file.toString('latin1', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
    if (at > end) throw refuse('its table of contents is damaged');
    if (!plainName(name)) throw refuse(`it holds a part with an odd name (${JSON.stringify(name.slice(0, 80))})`);
    if (names.has(name)) throw refuse(`it holds two parts named ${name}`);
    names.add(name);
    if (flags & 1) throw refuse('it is encrypted (password-protected)');
    if (method !== 0 && method !== 8) throw refuse(`its part ${name} is compressed in a way Word does not use`);
    unpacked += declared;
    if (unpacked > DOCX_LIMITS.unpackedBytes) {
      throw refuse(`it unpacks to more than ${DOCX_LIMITS.unpackedBytes / 2 ** 20} MB (a resolution is well under 5 MB)`);
    }
    if (/\.(xml|rels)$/i.test(name)) xml += declared;
    if (xml > DOCX_LIMITS.xmlBytes) {
      throw refuse(`its text unpacks to more than ${DOCX_LIMITS.xmlBytes / 2 ** 20} MB of XML (a resolution has well under 1 MB); split it into several documents`);
    }
    if (local + 30 > start || file.readUInt32LE(local) !== LOCAL) throw refuse(`its part ${name} is damaged`);
    const dataStart = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    if (dataStart + compressed > start) throw refuse(`its part ${name} is damaged`);
    if (!name.endsWith('/')) parts.push({ name, method, data: file.subarray(dataStart, dataStart + compressed), size: declared });
  }
  if (at !== end) throw refuse('its table of contents is damaged');
  return parts;
}

/** A relative path of printable ASCII, as Word names its parts ("word/media/image1.png"). */
function plainName(name: string): boolean {
  if (name.length === 0 || name.length > 260 || !/^[\x20-\x7e]+$/.test(name)) return false;
  if (name.startsWith('/') || name.includes('\\')) return false;
  const segments = name.replace(/\/$/, '').split('/');
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** A part's content, inflated never past the size the part declares. */
function unpack(part: Part): Buffer {
  let content: Buffer;
  if (part.method === 0) content = part.data;
  else {
    try {
      content = inflateRawSync(part.data, { maxOutputLength: Math.max(1, part.size) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw refuse(`its part ${part.name} unpacks to more than the ${part.size} bytes it declares (a zip bomb)`);
      throw refuse(`its part ${part.name} is damaged`);
    }
  }
  if (content.length !== part.size) throw refuse(`its part ${part.name} is damaged (not the size it declares)`);
  return content;
}

/** `<!DOCTYPE` or `<!ENTITY`, in any case (the XML reader mammoth uses takes either). */
function declaresEntities(content: Buffer): boolean {
  for (let at = content.indexOf('<!'); at !== -1; at = content.indexOf('<!', at + 2)) {
    const word = content.toString('latin1', at + 2, at + 9).toUpperCase();
    if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) return true;
  }
  return false;
}
