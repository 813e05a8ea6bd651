import * as Y from 'yjs';

/**
 * Whether an update can be integrated at once into a document whose clocks `known` tells: every struct
 * continues a client's known clocks, every reference (origin, right origin, parent) and every
 * deletion points at clocks the document or the update itself has. Yjs keeps what fails this as
 * "pending" and integrates it inside whichever later update fills the gap — judged then as that
 * other sender's update. The server never lets that happen (GUARD.md): an unplaceable update is
 * not applied, and its sender is asked for what the server lacks (a sync step 1), which a stock
 * client answers with everything, placeable.
 */
export function unplaceable(update: Uint8Array, known: (client: number) => number): string | null {
  const { structs, ds } = Y.decodeUpdate(update);
  /** How far each client's clocks reach with this update (the document's own where it adds nothing). */
  const reach = new Map<number, number>();
  const reachOf = (client: number) => reach.get(client) ?? known(client);
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const upTo = reachOf(client);
    if (clock > upTo) return `it continues client ${client} at clock ${clock}, but the server has only up to ${upTo}`;
    reach.set(client, Math.max(upTo, clock + struct.length));
  }
  const has = (id: Y.ID | null) => id === null || id.clock < reachOf(id.client);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent instanceof Y.ID ? struct.parent : null;
    if (!has(struct.origin) || !has(struct.rightOrigin) || !has(parent)) {
      return 'it refers to content the server does not have';
    }
  }
  for (const [client, deletions] of ds.clients) {
    const end = deletions.reduce((max, d) => Math.max(max, d.clock + d.len), 0);
    if (end > reachOf(client)) return 'it deletes content the server does not have';
  }
  return null;
}

/** Whether a document holds structs or deletions it could not place (it must never keep any). */
export function hasPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/**
 * Drops what a document could not place. Stored documents from before this check may carry such
 * content (compaction encoded it with the rest); it was never judged, so it is never integrated.
 */
export function discardPending(doc: Y.Doc): boolean {
  if (!hasPending(doc)) return false;
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
  return true;
}
