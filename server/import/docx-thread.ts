import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { checkDocx, refuse } from './docx-zip.ts';
import { htmlToLines } from './docx-lines.ts';
import { markRevisions, REVISED_PARTS } from './docx-revisions.ts';
import { ImportError } from './import-error.ts';

/**
 * The thread that reads one .docx (docx.ts): checks the file, writes its revision marks into its
 * text (docx-revisions.ts), converts it with mammoth, and posts its lines or why it cannot be
 * read. At the lowest CPU priority (on Linux this applies to this thread only), so a long
 * conversion leaves the event loop its core.
 */
try {
  setPriority(0, 19);
} catch {
  // not permitted here: the conversion runs at normal priority
}
const file = Buffer.from(workerData as Uint8Array);
try {
  checkDocx(file);
  const result = await mammoth.convertToHtml(
    { buffer: await withRevisionMarks(file) },
    {
      // A part of the file does not choose how it is read, and pictures are never unpacked (the importer keeps only text).
      includeEmbeddedStyleMap: false,
      convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
    },
  );
  parentPort!.postMessage({ text: htmlToLines(result.value).join('\n'), warnings: result.messages.map((m) => m.message) });
} catch (error) {
  // The file passed the checks, so what mammoth cannot read is the file's doing, not the server's.
  parentPort!.postMessage({ refusal: (error instanceof ImportError ? error : refuse((error as Error).message)).message });
}

/**
 * The file with its story parts' revisions written as marks (docx-revisions.ts), zipped again
 * with the jszip mammoth reads it with; the file itself when it has none. Only the rewritten parts
 * are compressed again: jszip keeps the others as they are in the file.
 */
async function withRevisionMarks(file: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(file);
  let changed = false;
  for (const name of REVISED_PARTS) {
    const part = zip.file(name);
    if (!part) continue;
    const marked = markRevisions(await part.async('string'));
    if (marked === null) continue;
    zip.file(name, marked);
    changed = true;
  }
  return changed ? zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } }) : file;
}
