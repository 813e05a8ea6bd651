import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CompileBody, DocumentDetail, ErrorBody } from '../../shared/api.ts';
import type { CompileBody as CompileInput } from '../../shared/api.ts';
import { canManageDocuments } from '../../shared/roles.ts';
import { compilationHtmlDocument } from '../../shared/compile/table-html.ts';
import { documentAccess, groupMembership } from '../auth/access.ts';
import { compileDocuments } from '../compile/compile-documents.ts';
import { compilationDocx } from '../export/compilation-docx.ts';
import { forbidden, HttpError } from '../http/http-error.ts';
import { describeDocument } from '../views/document-detail.ts';
import { fileStem } from '../export/file-name.ts';

export const compilationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores, hub } = app;

  app.post(
    '/groups/:slug/compilations',
    {
      schema: {
        tags: ['documents'],
        summary: 'Compile a negotiation text from proposals against a base text (chair and secretariat)',
        description:
          "Each source document is a proposal of one delegation of the group; the new document has each source's wording as an attributed alternative, ADD and SUP bracketed for their source.",
        params: Type.Object({ slug: Type.String() }),
        body: CompileBody,
        response: { 201: Type.Object({ document: DocumentDetail }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const membership = groupMembership(stores, request.caller.user, request.params.slug);
      if (!canManageDocuments(membership.role)) throw forbidden(`only the chair and the secretariat compile proposals; you are ${membership.role} in ${membership.group.slug}`);
      const body = request.body as CompileInput;
      const document = compileDocuments(stores, hub, { groupId: membership.group.id, userId: request.caller.user.id, ...body });
      reply.code(201);
      return { document: describeDocument(app, document, membership) };
    },
  );

  app.get(
    '/documents/:id/compilation',
    {
      schema: {
        tags: ['documents'],
        summary: 'The compilation table of a compiled negotiation text: JSON, HTML or Word (every member of the group may)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ format: Type.Enum(['json', 'html', 'docx'], { default: 'json' }) }),
        response: { 200: Type.Any({ description: 'json: { table, baseDocumentId, sources, createdAt }; html and docx: the file' }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { document } = documentAccess(stores, request.caller.user, request.params.id);
      const compilation = stores.compilations.get(document.id);
      if (!compilation) throw new HttpError(404, `${document.symbol} was not compiled from proposals, so it has no compilation table`);
      const { format } = request.query as { format: 'json' | 'html' | 'docx' };
      const title = `Compilation of proposals — ${document.symbol}`;
      if (format === 'json') return { table: compilation.table, baseDocumentId: compilation.baseDocumentId, sources: compilation.sources, createdAt: compilation.createdAt };
      const stem = `${fileStem(document.symbol)}-compilation`;
      if (format === 'html') {
        reply.type('text/html; charset=utf-8').header('content-disposition', `attachment; filename="${stem}.html"`);
        return reply.send(compilationHtmlDocument(compilation.table, title) as never);
      }
      reply.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').header('content-disposition', `attachment; filename="${stem}.docx"`);
      return reply.send((await compilationDocx(compilation.table, title)) as never);
    },
  );
};
