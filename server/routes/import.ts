import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, ImportBody, ImportResponse } from '../../shared/api.ts';
import type { ImportBody as ImportInput } from '../../shared/api.ts';
import { canManageDocuments } from '../../shared/roles.ts';
import { groupMembership } from '../auth/access.ts';
import { DocumentError } from '../storage/documents.ts';
import { importDocument, ImportError } from '../import/import-document.ts';
import { forbidden, HttpError, unauthorized } from '../http-error.ts';
import { describeDocument } from './documents.ts';

export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores } = app;

  app.post(
    '/groups/:slug/documents/import',
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: ['documents'],
        summary: 'Import a pasted text or a .docx (base64) as a new structured document (chair and secretariat)',
        description: 'Lines the importer could not place are listed in `problems` (line number, text, reason); their text is imported all the same.',
        params: Type.Object({ slug: Type.String() }),
        body: ImportBody,
        response: { 201: ImportResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      if (!request.identity) throw unauthorized();
      const user = request.identity.user;
      const membership = groupMembership(stores, user, request.params.slug);
      if (!canManageDocuments(membership.role)) {
        throw forbidden(`only the chair and the secretariat import documents; you are ${membership.role} in ${membership.group.slug}`);
      }
      const body = request.body as ImportInput;
      try {
        const { document, problems } = await importDocument(stores, {
          groupId: membership.group.id,
          userId: user.id,
          symbol: body.symbol,
          title: body.title,
          type: body.type,
          text: body.text,
          docx: body.docx ? Buffer.from(body.docx, 'base64') : undefined,
          fromBase: body.fromBase,
          baseReference: body.baseReference,
        });
        reply.code(201);
        return { document: describeDocument(app, document, membership), problems };
      } catch (error) {
        if (error instanceof DocumentError) throw new HttpError(409, error.message);
        if (error instanceof ImportError) throw new HttpError(400, error.message);
        if (body.docx && /zip|end of central directory|corrupted/i.test((error as Error).message)) {
          throw new HttpError(400, `the file is not a readable .docx (${(error as Error).message}); save it from Word as .docx and try again`);
        }
        throw error;
      }
    },
  );
};
