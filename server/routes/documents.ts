import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DocumentDetail, ErrorBody, UpdateDocumentBody } from '../../shared/api.ts';
import type { UpdateDocumentBody as UpdateDocumentInput } from '../../shared/api.ts';
import { canManageDocuments } from '../../shared/roles.ts';
import { documentAccess } from '../auth/access.ts';
import { audit } from '../storage/audit.ts';
import { forbidden } from '../http/http-error.ts';
import { describeDocument } from '../views/document-detail.ts';

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
      const { document, membership } = documentAccess(stores, request.caller.user, request.params.id);
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
      const user = request.caller.user;
      const { document, membership } = documentAccess(stores, user, request.params.id);
      if (!canManageDocuments(membership.role)) {
        throw forbidden(`only the chair and the secretariat change document metadata; you are ${membership.role}`);
      }
      const updated = stores.documents.update(document.id, request.body as UpdateDocumentInput);
      audit(stores.db, { userId: user.id, groupId: document.groupId, action: 'document.update', detail: { id: document.id, ...request.body } });
      return describeDocument(app, updated, membership);
    },
  );
};
