import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { canManageDocuments } from '../../shared/roles.ts';
import { Comparison, ErrorBody, NewVersionBody, VersionList, VersionSummary } from '../../shared/api.ts';
import { bracketRemovals, compareTexts, statusChanges } from '../../shared/versions/compare.ts';
import { documentAccess } from '../auth/access.ts';
import { forbidden, HttpError } from '../http/http-error.ts';
import { restoreVersion, takeVersion, versionText } from '../versions/versions.ts';
import { startAutosave } from '../versions/autosave.ts';
import { decisionsBetween } from '../decisions/decision-log.ts';

/**
 * Versions of a document: take a named one (chair, secretariat), list, restore as the current text
 * (chair, secretariat), and compare any two versions or a version and now (everyone). A version's
 * text is read (and exported) through the export route's `version` parameter.
 */
export const versionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores, hub, config, services } = app;
  const { versions } = stores;
  const stop = startAutosave(services, config.autosaveMs, app.log);
  app.addHook('onClose', async () => stop());

  const manager = (userId: Parameters<typeof documentAccess>[1], id: string, what: string) => {
    const access = documentAccess(stores, userId, id);
    if (!canManageDocuments(access.membership.role)) throw forbidden(`only the chair and the secretariat ${what}; you are ${access.membership.role} in ${access.membership.group.slug}`);
    return access;
  };
  const params = Type.Object({ id: Type.String({ maxLength: 64 }) });
  const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  app.get(
    '/documents/:id/versions',
    {
      schema: { tags: ['versions'], summary: 'Versions of a document, newest first: named ones and autosave points', params, response: { 200: VersionList, ...errors } },
    },
    async (request) => {
      const { document } = documentAccess(stores, request.caller.user, request.params.id);
      return { versions: versions.list(document.id) };
    },
  );

  app.post(
    '/documents/:id/versions',
    {
      schema: { tags: ['versions'], summary: 'Take a named version ("Rev.1", "Chair\'s text") of the current text', params, body: NewVersionBody, response: { 201: VersionSummary, ...errors } },
    },
    async (request, reply) => {
      const { document } = manager(request.caller.user, request.params.id, 'take versions');
      return reply.code(201).send(takeVersion(services, document, request.body.name.trim(), 'named', request.caller.user.id));
    },
  );

  app.post(
    '/documents/:id/versions/:versionId/restore',
    {
      schema: {
        tags: ['versions'],
        summary: 'Make a version the current text again (the text it replaces is kept as a version first)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), versionId: Type.Integer() }),
        response: { 200: VersionSummary, ...errors },
      },
    },
    async (request) => {
      const { document } = manager(request.caller.user, request.params.id, 'restore versions');
      if (!versions.get(document.id, request.params.versionId)) throw new HttpError(404, `no version ${request.params.versionId} of ${document.symbol}`);
      return restoreVersion(services, document, request.params.versionId, request.caller.user.id);
    },
  );

  app.get(
    '/documents/:id/compare',
    {
      schema: {
        tags: ['versions'],
        summary:
          'Compare two versions, or a version and the current text ("current"): word by word, in reading order, with the brackets that went, the statuses that changed and the decisions taken between them',
        params,
        querystring: Type.Object({ from: Type.String({ maxLength: 20 }), to: Type.String({ maxLength: 20, default: 'current' }) }),
        response: { 200: Comparison, 400: ErrorBody, ...errors },
      },
    },
    async (request) => {
      const { document } = documentAccess(stores, request.caller.user, request.params.id);
      const query = request.query as { from: string; to: string };
      const timeOf = (which: string) => (which === 'current' ? new Date().toISOString() : (versions.get(document.id, Number(which))?.at ?? ''));
      const textOf = (which: string) => {
        if (which === 'current') return hub.read(document.id);
        const id = Number(which);
        const text = Number.isInteger(id) ? versionText(versions, document.id, id) : null;
        if (!text) throw new HttpError(404, `no version ${which} of ${document.symbol}; give a version id or "current"`);
        return text;
      };
      const name = (which: string) => (which === 'current' ? 'the current text' : (versions.get(document.id, Number(which))?.name ?? which));
      const older = textOf(query.from);
      const newer = textOf(query.to);
      return {
        from: name(query.from),
        to: name(query.to),
        entries: compareTexts(older, newer),
        brackets: bracketRemovals(older, newer),
        statuses: statusChanges(older, newer),
        decisions: decisionsBetween(stores, document.id, timeOf(query.from), timeOf(query.to)),
      };
    },
  );
};
