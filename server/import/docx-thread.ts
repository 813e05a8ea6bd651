import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import mammoth from 'mammoth';
import { checkDocx, refuse } from './docx-zip.ts';
import { htmlToLines } from './docx-lines.ts';
import { ImportError } from './import-error.ts';

/**
 * The thread that reads one .docx (docx.ts): checks the file, converts it with mammoth, and posts
 * its lines or why it cannot be read. At the lowest CPU priority (on Linux this applies to this
 * thread only), so a long conversion leaves the event loop its core.
 */
try {
  setPriority(0, 19);
} catch {
  // not permitted here: the conversion runs at normal priority
}
const file = Buffer.from(workerData as Uint8Array);
try {
  checkDocx(file);
  const result = await mammoth.convertToHtml({ buffer: file }, {
    // A part of the file does not choose how it is read, and pictures are never unpacked (the importer keeps only text).
    includeEmbeddedStyleMap: false,
    convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
  });
  parentPort!.postMessage({ text: htmlToLines(result.value).join('\n'), warnings: result.messages.map((m) => m.message) });
} catch (error) {
  // The file passed the checks, so what mammoth cannot read is the file's doing, not the server's.
  parentPort!.postMessage({ refusal: (error instanceof ImportError ? error : refuse((error as Error).message)).message });
}
