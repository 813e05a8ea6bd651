import * as encoding from 'lib0/encoding';

/**
 * Hostile frames, crafted byte by byte with lib0's encoding (the hostile workload, bench/workloads/hostile.ts).
 * None of them is a valid Yjs update: each one is cut short (or junk), so a server that reads it
 * does all the decoding work and then throws, and nothing of it ever reaches a document, a store
 * or an honest client. What is measured is what reading it costs the server.
 */

/** The target a frame is for: Hocuspocus prefixes every message with the document's name. */
export interface FrameTarget {
  hocuspocus: boolean;
  document: string;
}

/** Message types of the y-websocket protocol (Hocuspocus uses the same numbers). */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const SYNC_UPDATE = 2;

/** Struct kinds of a Yjs update v1 (the low five bits of a struct's info byte). */
const STRUCT_GC = 0;
const STRUCT_SKIP = 10;

/** A frame: the document name for Hocuspocus, then `body`, then `tail` copied as it is (no re-encoding of a large payload). */
function frame(target: FrameTarget, body: (encoder: encoding.Encoder) => void, tail?: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  if (target.hocuspocus) encoding.writeVarString(encoder, target.document);
  body(encoder);
  const head = encoding.toUint8Array(encoder);
  return tail ? Buffer.concat([head, tail]) : head;
}

/** A sync "update" message carrying `update`. */
export function updateFrame(target: FrameTarget, update: Uint8Array): Uint8Array {
  return frame(
    target,
    (e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC);
      encoding.writeVarUint(e, SYNC_UPDATE);
      encoding.writeVarUint(e, update.byteLength);
    },
    update,
  );
}

/**
 * A Yjs update v1 that claims `claimed` structs of one client and holds `bytes` of struct data:
 * numClients = 1, numStructs = claimed, client, clock = 0, then the two-byte struct `kind, 1`
 * (a GC or Skip of length 1) repeated, with no delete set. With fewer bytes than 2 × claimed the
 * update is cut short; with 2 × claimed bytes exactly, it is cut short only where the delete set
 * should start. Either way a decoder walks every struct before it finds the end.
 */
export function structRun(claimed: number, bytes: number, client: number, kind: 'gc' | 'skip' = 'gc'): Uint8Array {
  const header = encoding.createEncoder();
  encoding.writeVarUint(header, 1);
  encoding.writeVarUint(header, claimed);
  encoding.writeVarUint(header, client);
  encoding.writeVarUint(header, 0);
  const head = encoding.toUint8Array(header);
  const update = new Uint8Array(head.byteLength + Math.min(bytes, 2 * claimed) - (bytes % 2));
  update.set(head);
  const info = kind === 'gc' ? STRUCT_GC : STRUCT_SKIP;
  for (let i = head.byteLength; i + 1 < update.byteLength; i += 2) {
    update[i] = info;
    update[i + 1] = 1;
  }
  return update;
}

/** The struct bomb: about 4 MB claiming 2 000 000 structs, cut short at the end (below a 4 MiB frame cap). */
export const BOMB_STRUCTS = 2_000_000;
export const BOMB_BYTES = 4_000_000;
export function structBomb(client: number, kind: 'gc' | 'skip'): Uint8Array {
  // one struct short of the claim: the decoder reads 1 999 999 structs, then runs out
  return structRun(BOMB_STRUCTS, BOMB_BYTES - 2, client, kind);
}

/** A small deterministic PRNG (mulberry32), so every run sends the same junk. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The small frames' updates (10–60 KB): every other one a cut-short struct run (claims twice the
 * structs it holds), the others random bytes — junk that a decoder has to find out is junk.
 */
export function smallUpdates(count: number, seed: number): Uint8Array[] {
  const random = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const bytes = 10_000 + Math.floor(random() * 50_000);
    if (i % 2 === 0) return structRun(bytes, bytes, 1 + Math.floor(random() * 2 ** 31), i % 4 === 0 ? 'gc' : 'skip');
    const junk = new Uint8Array(bytes);
    for (let j = 0; j < bytes; j++) junk[j] = Math.floor(random() * 256);
    return junk;
  });
}

/**
 * An awareness state of about `bytes` bytes (a "name" of that length), pre-encoded as the JSON
 * string an awareness update carries; `awarenessFrame` wraps it with a client id and a clock.
 */
export function bigAwarenessState(bytes: number): Uint8Array {
  const json = JSON.stringify({ user: { name: 'x'.repeat(Math.max(0, bytes - 40)) }, cursor: { anchor: 0, head: 0 } });
  return new TextEncoder().encode(json);
}

/** An awareness message of one entry: client id, clock, then the pre-encoded JSON state. */
export function awarenessFrame(target: FrameTarget, clientId: number, clock: number, state: Uint8Array): Uint8Array {
  const entry = encoding.createEncoder();
  encoding.writeVarUint(entry, 1);
  encoding.writeVarUint(entry, clientId);
  encoding.writeVarUint(entry, clock);
  encoding.writeVarUint(entry, state.byteLength);
  const head = encoding.toUint8Array(entry);
  return frame(
    target,
    (e) => {
      encoding.writeVarUint(e, MESSAGE_AWARENESS);
      encoding.writeVarUint(e, head.byteLength + state.byteLength);
      encoding.writeUint8Array(e, head);
    },
    state,
  );
}
