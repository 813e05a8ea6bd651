import * as Y from 'yjs';

/**
 * A cap on how much work one update may ask of the server. Yjs integrates structs one by one on
 * the event loop, so an update of hundreds of thousands of tiny structs (a "struct-count bomb",
 * cheap to send within the frame cap) would freeze every room for seconds. Real edits — typing,
 * a pasted text of dozens of pages — stay below the limit; at the limit, checking and applying
 * one update takes about 100 ms on a 2-core machine (RELIABILITY.md).
 */
export const MAX_STRUCTS_PER_UPDATE = 8_000;
export const MAX_DELETE_RANGES_PER_UPDATE = 20_000;
/** Below this size an update cannot hold enough structs to matter: skip the extra decoding. */
const SMALL_UPDATE_BYTES = 16 * 1024;

/** Why the update is too much work, or null. Throws (as any undecodable update) when malformed. */
export function updateTooLarge(update: Uint8Array): string | null {
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
