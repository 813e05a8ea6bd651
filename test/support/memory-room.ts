import { Room } from '../../server/collab/room.ts';
import type { RoomStorage } from '../../server/collab/room.ts';
import type { StoredDocument } from '../../server/storage/document-log.ts';

/**
 * A room over storage kept in memory, for tests of the room alone: what the room accepts is
 * appended and released at once, and reloading reads it back (the room undoes a refused update from
 * there). `accepted` is what was stored, in order.
 */
export function roomInMemory(snapshot: Uint8Array | null): { room: Room; accepted: Uint8Array[] } {
  const accepted: Uint8Array[] = [];
  const stored = (): StoredDocument => ({ snapshot, updates: [...accepted], lastUpdateId: accepted.length }) as StoredDocument;
  const storage: RoomStorage = {
    store(entry) {
      accepted.push(entry.update);
      entry.alongside?.();
      entry.stored(accepted.length);
      entry.release();
    },
    reload: stored,
  };
  const events = { stored() {}, compactionDue() {}, idle() {}, failed() {} };
  const room = new Room('d', stored(), storage, events, { idleUnloadMs: 60_000, compactAfterUpdates: Infinity, compactAfterBytes: Infinity });
  return { room, accepted };
}
