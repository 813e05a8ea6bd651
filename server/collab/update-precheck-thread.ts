import { parentPort } from 'node:worker_threads';
import { precheck } from './update-precheck.ts';

/** The pre-check thread (update-precheck.ts): answers each update with what it found, or the decoding error. */
parentPort!.on('message', ({ id, update, stateVector }: { id: number; update: Uint8Array; stateVector: Map<number, number> }) => {
  try {
    parentPort!.postMessage({ id, result: precheck(update, (client) => stateVector.get(client) ?? 0) });
  } catch (error) {
    parentPort!.postMessage({ id, error: (error as Error).message });
  }
});
