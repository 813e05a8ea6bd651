import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate } from '../../server/storage/migrations.ts';
import { openStores } from '../../server/services.ts';
import { docOf } from '../../server/storage/document-log.ts';
import { hasPending } from '../../server/collab/placeable.ts';
import { withPending } from '../support/broken-text.ts';

describe('replaying a stored document', () => {
  it('discards what Yjs could not place, so no reader integrates unjudged content', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const stores = openStores(db, { sessionTtlMs: 1000 });
    const group = stores.accounts.addGroup('wg', 'Working group');
    const { id } = stores.documents.create({ groupId: group.id, symbol: 'WG/1', title: 'Draft', type: 'resolution', createdBy: null });
    const { state, gap } = withPending();
    stores.log.compact(id, state, 0, 2);
    expect(hasPending(docOf(stores.log.load(id)))).toBe(true); // as stored

    const replayed = stores.log.replay(id);
    expect(hasPending(replayed)).toBe(false);
    Y.applyUpdate(replayed, gap);
    expect(replayed.getXmlFragment('prosemirror').toString()).not.toContain('pending');
    const fromState = new Y.Doc();
    Y.applyUpdate(fromState, stores.log.state(id));
    expect(hasPending(fromState)).toBe(false);
  });
});
