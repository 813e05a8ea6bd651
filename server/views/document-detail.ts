import type { DocumentDetail } from '../../shared/api.ts';
import { canEditText, canManageDocuments } from '../../shared/roles.ts';
import type { App } from '../app.ts';
import type { Membership } from '../storage/accounts.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import { presentIn } from './presence.ts';

/** A document as the API describes it to one member: its metadata, what they may do, who is in it. */
export function describeDocument(app: Pick<App, 'hub' | 'stores'>, document: DocumentRecord, membership: Membership): DocumentDetail {
  return {
    id: document.id,
    symbol: document.symbol,
    title: document.title,
    type: document.type,
    status: document.status,
    schemaVersion: document.schemaVersion,
    createdAt: document.createdAt,
    updatedAt: document.updatedAt,
    group: { slug: membership.group.slug, name: membership.group.name },
    access: { role: membership.role, canEdit: canEditText(membership.role), canManage: canManageDocuments(membership.role) },
    present: presentIn(app.hub, document.id),
    source: document.source,
    compiled: app.stores.compilations.get(document.id) !== undefined,
  };
}
