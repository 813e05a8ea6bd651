import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DocumentDetail, ErrorBody, UpdateDocumentBody } from '../../shared/api.ts';
import type { UpdateDocumentBody as UpdateDocumentInput } from '../../shared/api.ts';
import { canEditText, canManageDocuments } from '../../shared/roles.ts';
import { documentAccess } from '../auth/access.ts';
import type { Membership } from '../storage/accounts.ts';
import { audit } from '../storage/audit.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import { DocumentError } from '../storage/documents.ts';
import { forbidden, HttpError, unauthorized } from '../http-error.ts';
import { presentIn } from './presence.ts';
import { Compilations } from '../storage/compilations.ts';
import type { App } from '../app.ts';

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
    compiled: new Compilations(app.stores.db).get(document.id) !== undefined,
  };
}

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores } = app;

  app.get(
    '/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: "A document's metadata and what the user may do with it",
        params: Params,
        response: { 200: DocumentDetail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      if (!request.identity) throw unauthorized();
      const { document, membership } = documentAccess(stores, request.identity.user, request.params.id);
      return describeDocument(app, document, membership);
    },
  );

  app.patch(
    '/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: "Change a document's title, symbol or status (chair and secretariat)",
        params: Params,
        body: UpdateDocumentBody,
        response: { 200: DocumentDetail, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      if (!request.identity) throw unauthorized();
      const user = request.identity.user;
      const { document, membership } = documentAccess(stores, user, request.params.id);
      if (!canManageDocuments(membership.role)) {
        throw forbidden(`only the chair and the secretariat change document metadata; you are ${membership.role}`);
      }
      try {
        const updated = stores.documents.update(document.id, request.body as UpdateDocumentInput);
        audit(stores.db, { userId: user.id, groupId: document.groupId, action: 'document.update', detail: { id: document.id, ...request.body } });
        return describeDocument(app, updated, membership);
      } catch (error) {
        if (error instanceof DocumentError) throw new HttpError(409, error.message);
        throw error;
      }
    },
  );
};
