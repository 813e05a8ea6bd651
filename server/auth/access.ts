import type { Stores } from '../services.ts';
import type { Membership, User } from '../storage/accounts.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import { forbidden, notFound } from '../http-error.ts';

/** A user's standing towards one document: the document and their role in its working group. */
export interface DocumentAccess {
  document: DocumentRecord;
  membership: Membership;
}

/** Everyone in the working group may read its documents (DESIGN.md §5); nobody else may. */
export function documentAccess(stores: Stores, user: User, documentId: string): DocumentAccess {
  const document = stores.documents.get(documentId);
  if (!document) throw notFound(`no document ${documentId}`);
  const membership = stores.accounts.membership(user.id, document.groupId);
  if (!membership) throw forbidden(`you are not a member of the working group that holds document ${document.symbol}`);
  return { document, membership };
}

export function groupMembership(stores: Stores, user: User, slug: string): Membership {
  const group = stores.accounts.group(slug);
  if (!group) throw notFound(`no working group "${slug}"`);
  const membership = stores.accounts.membership(user.id, group.id);
  if (!membership) throw forbidden(`you are not a member of working group ${group.slug}`);
  return membership;
}
