import { Worker } from 'node:worker_threads';
import { refuse } from './docx-zip.ts';
import { ImportError } from './import-error.ts';

/**
 * Reads a .docx into lines laid out as the plain-text importer reads them, on a thread of its own
 * (docx-thread.ts), started for this one file and ended after it. mammoth builds the whole
 * document tree: about 350 ms and 60 MB per MB of Word XML (measured), so even an honest long
 * file would hold up every room for seconds if read on the event loop. The thread's heap and time
 * are capped, and only a few files are read at once.
 */
export const DOCX_THREAD = {
  /** A conversion still running after this is stopped (the largest file the limits let through takes about 4 s). */
  timeoutMs: 20_000,
  /** The thread's heap; past it the thread is ended, not the server. Tighter, the largest accepted file thrashes in GC. */
  heapMb: 768,
  /** Files read at once; one more is answered "busy, try again". */
  concurrent: 2,
};

/** Thrown when DOCX_THREAD.concurrent files are being read already. */
export class DocxBusyError extends Error {}

let running = 0;

export async function docxToText(file: Buffer): Promise<{ text: string; warnings: string[] }> {
  if (running >= DOCX_THREAD.concurrent) throw new DocxBusyError('the server is reading other .docx files right now; try again in a minute');
  running++;
  // The thread runs this project's TypeScript through tsx, as the server itself does.
  const source = new URL('./docx-thread.ts', import.meta.url).href;
  const thread = new Worker(`(async () => { const { register } = await import('tsx/esm/api'); register(); await import(${JSON.stringify(source)}); })()`, {
    eval: true,
    workerData: file,
    resourceLimits: { maxOldGenerationSizeMb: DOCX_THREAD.heapMb },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(refuse(`reading it took longer than ${DOCX_THREAD.timeoutMs / 1000} s`)), DOCX_THREAD.timeoutMs);
      thread.once('message', (answer: { text: string; warnings: string[] } | { refusal: string }) => {
        if ('refusal' in answer) reject(new ImportError(answer.refusal));
        else resolve(answer);
      });
      thread.once('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? refuse('reading it needs more memory than a Word document could') : error);
      });
      thread.once('exit', () => reject(new Error('the .docx thread ended without an answer')));
    });
  } finally {
    clearTimeout(timer);
    running--;
    void thread.terminate();
  }
}
