import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody, ImportBody, ImportResponse } from '../../shared/api.ts';
import type { ImportBody as ImportInput } from '../../shared/api.ts';
import { canManageDocuments } from '../../shared/roles.ts';
import { groupMembership } from '../auth/access.ts';
import { importDocument } from '../import/import-document.ts';
import { forbidden } from '../http/http-error.ts';
import type { Stores } from '../services.ts';
import { describeDocument } from '../views/document-detail.ts';

/** The importer's membership of the group, if they may import into it (chair and secretariat). */
function importer(stores: Stores, request: FastifyRequest) {
  const membership = groupMembership(stores, request.caller.user, (request.params as { slug: string }).slug);
  if (!canManageDocuments(membership.role)) {
    throw forbidden(`only the chair and the secretariat import documents; you are ${membership.role} in ${membership.group.slug}`);
  }
  return membership;
}

export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores } = app;

  app.post(
    '/groups/:slug/documents/import',
    {
      // A .docx comes base64-encoded in the JSON body (up to 14 MB of base64, a file of about
      // 10 MB), past the server's 1 MiB limit; so who may import is settled before such a body
      // is read, not after.
      bodyLimit: 20 * 1024 * 1024,
      preParsing: async (request) => {
        importer(stores, request);
      },
      schema: {
        tags: ['documents'],
        summary: 'Import a pasted text or a .docx (base64) as a new structured document (chair and secretariat)',
        description:
          'Lines the importer could not place are listed in `problems` (line number, text, reason); their text is imported all the same. ' +
          'A .docx that is not one Word would write (not a zip, too large unpacked, a DOCTYPE or entities in its XML) is refused with 400 saying why.',
        params: Type.Object({ slug: Type.String() }),
        body: ImportBody,
        response: { 201: ImportResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const membership = importer(stores, request);
      const body = request.body as ImportInput;
      const { document, problems } = await importDocument(stores, {
        groupId: membership.group.id,
        userId: request.caller.user.id,
        symbol: body.symbol,
        title: body.title,
        type: body.type,
        text: body.text,
        docx: body.docx ? Buffer.from(body.docx, 'base64') : undefined,
        fromBase: body.fromBase,
        baseReference: body.baseReference,
        source: body.source,
      });
      reply.code(201);
      return { document: describeDocument(app, document, membership), problems };
    },
  );
};
