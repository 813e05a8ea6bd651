import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';

/**
 * A cap on how much work one update may ask of the event loop, set from a time budget. Yjs
 * integrates structs one by one, so an update of hundreds of thousands of tiny structs (a
 * "struct-count bomb", cheap to send within the frame cap) would freeze every room for seconds;
 * large updates are counted on the pre-check thread (update-precheck.ts), so a bomb costs the
 * event loop nothing. An afternoon of offline typing — 100 000 keystrokes across provisions —
 * is about 13 000 structs and 6 000 deletion ranges, integrated and judged in 20–40 ms here
 * (scripts/offline-backlog.ts); the cap is three times that, so an honest backlog never meets it.
 */
export const MAX_STRUCTS_PER_UPDATE = 40_000;
export const MAX_DELETE_RANGES_PER_UPDATE = 40_000;
/** Below this size an update cannot hold enough structs to matter: skip the extra decoding. */
export const SMALL_UPDATE_BYTES = 16 * 1024;

/**
 * What an update's header claims, read without decoding a struct: how many clients, and how many
 * structs for the first of them. A bomb announces itself here; refusing it costs microseconds.
 * Throws, as any undecodable update, when the claim cannot be true of so few bytes.
 */
export function claimTooLarge(update: Uint8Array): string | null {
  const decoder = decoding.createDecoder(update);
  let clients: number;
  let structs = 0;
  try {
    clients = decoding.readVarUint(decoder);
    if (clients > 0) structs = decoding.readVarUint(decoder);
  } catch {
    return null; // too short to claim anything: the decoder names what is wrong
  }
  // every client section and every struct takes at least one byte: a claim past that is not an update
  if (clients > update.byteLength || structs > update.byteLength) {
    throw new Error(`the update claims ${Math.max(clients, structs)} entries in ${update.byteLength} bytes`);
  }
  if (structs > MAX_STRUCTS_PER_UPDATE) {
    return `one change may hold at most ${MAX_STRUCTS_PER_UPDATE} operations (this one claims ${structs}); send it in parts`;
  }
  return null;
}

/** Why the update is too much work, or null. Throws (as any undecodable update) when malformed. */
export function updateTooLarge(update: Uint8Array): string | null {
  const claimed = claimTooLarge(update);
  if (claimed) return claimed;
  if (update.byteLength < SMALL_UPDATE_BYTES) return null;
  const { structs, ds } = Y.decodeUpdate(update);
  if (structs.length > MAX_STRUCTS_PER_UPDATE) {
    return `one change may hold at most ${MAX_STRUCTS_PER_UPDATE} operations (this one has ${structs.length}); send it in parts`;
  }
  let ranges = 0;
  for (const deletions of ds.clients.values()) ranges += deletions.length;
  if (ranges > MAX_DELETE_RANGES_PER_UPDATE) {
    return `one change may delete at most ${MAX_DELETE_RANGES_PER_UPDATE} separate ranges (this one has ${ranges}); send it in parts`;
  }
  return null;
}
