import type { Stores } from '../services.ts';
import type { Membership, User } from '../storage/accounts.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import { notFound } from '../http/http-error.ts';

/** A user's standing towards one document: the document and their role in its working group. */
export interface DocumentAccess {
  document: DocumentRecord;
  membership: Membership;
}

/**
 * Everyone in the working group may read its documents (ARCHITECTURE.md §2); nobody else may, and to
 * anyone else a document of the group is exactly as unknown as an id that was never given: the
 * same 404, naming nothing but the id asked for (not its symbol, not that it exists). A member
 * whose role forbids an action is told so (403) by the route.
 */
export function documentAccess(stores: Stores, user: User, documentId: string): DocumentAccess {
  const document = stores.documents.get(documentId);
  const membership = document && stores.accounts.membership(user.id, document.groupId);
  if (!document || !membership) throw notFound(`no document ${documentId}`);
  return { document, membership };
}

/** A working group as its member sees it; to anyone else it is as unknown as a slug never used. */
export function groupMembership(stores: Stores, user: User, slug: string): Membership {
  const group = stores.accounts.group(slug);
  const membership = group && stores.accounts.membership(user.id, group.id);
  if (!group || !membership) throw notFound(`no working group "${slug}"`);
  return membership;
}
