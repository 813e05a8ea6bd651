import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../../shared/api.ts';
import { documentAccess } from '../auth/access.ts';
import { HttpError } from '../http/http-error.ts';
import { EXPORT_FORMATS, EXPORT_MODES, renderDocument } from '../export/formats.ts';
import { exportMeta } from '../export/meta.ts';
import { fileStem } from '../export/file-name.ts';
import { versionText } from '../versions/versions.ts';
import type { ExportFormat, ExportMode } from '../export/formats.ts';

/** A file name from a symbol: "CWG-AI/2" → "CWG-AI-2". */
export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores, hub } = app;

  app.get(
    '/documents/:id/export',
    {
      schema: {
        tags: ['documents'],
        summary: 'Export the current text (every member of the group may)',
        description: 'Answers 200 with the file itself (text/plain for txt) as an attachment named after the symbol.',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({
          format: Type.Enum(EXPORT_FORMATS, { default: 'txt' }),
          mode: Type.Enum(EXPORT_MODES, { default: 'clean' }),
          brackets: Type.Optional(Type.Enum(['keep'], { description: 'clean mode only: export even though brackets remain (they are printed)' })),
          version: Type.Optional(Type.Integer({ description: 'export this version instead of the current text' })),
        }),
        response: { 200: Type.String({ description: 'the document in the chosen format' }), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { document, membership } = documentAccess(stores, request.caller.user, request.params.id);
      const query = request.query as { format: ExportFormat; mode: ExportMode; brackets?: 'keep'; version?: number };
      // Read strictly, as every other reader of the current text: a text that cannot be is answered
      // as such (app.ts), not rendered half-read.
      const text = query.version === undefined ? hub.read(document.id) : versionText(stores.versions, document.id, query.version);
      if (!text) throw new HttpError(404, `no version ${query.version} of ${document.symbol}`);
      const rendered = await renderDocument(text, query.format, query.mode, exportMeta(stores, document), { keepBrackets: query.brackets === 'keep', reader: membership.role });
      reply.type(rendered.contentType);
      reply.header('content-disposition', `attachment; filename="${fileStem(document.symbol)}-${query.mode}.${rendered.extension}"`);
      // The file is sent as is (string or bytes); the 200 schema only documents it.
      return reply.send(rendered.body as never);
    },
  );
};
