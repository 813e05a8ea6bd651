import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DecisionBody, DecisionEntry, DecisionList, ErrorBody } from '../../shared/api.ts';
import { documentAccess } from '../auth/access.ts';
import { forbidden } from '../http/http-error.ts';
import { decide, undoDecision } from '../decisions/decide.ts';
import { decisionEntry as entry } from '../decisions/decision-log.ts';
import type { Stores } from '../services.ts';
import type { User } from '../storage/accounts.ts';

/** Only the chair decides on brackets and provision statuses (ARCHITECTURE.md §2). */
function chairAccess(stores: Stores, user: User, documentId: string) {
  const access = documentAccess(stores, user, documentId);
  if (access.membership.role !== 'chair') {
    throw forbidden(`only the chair accepts, rejects or chooses proposals and sets provision status; you are ${access.membership.role} in ${access.membership.group.slug}`);
  }
  return access;
}

export const decisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores, services } = app;
  const params = Type.Object({ id: Type.String({ maxLength: 64 }) });

  app.post(
    '/documents/:id/decisions',
    {
      schema: {
        tags: ['decisions'],
        summary: "Take a chair's decision: accept or reject brackets (some, or all of a delegation or section), choose an alternative, set a provision's status",
        description:
          'The server changes the text itself, as one change everyone receives, and logs the decision. 409 when the decision does not fit the text (a bracket already gone, a provision still bracketed).',
        params,
        body: DecisionBody,
        response: { 201: DecisionEntry, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { document } = chairAccess(stores, request.caller.user, request.params.id);
      const record = decide(services, document, request.caller.user.id, request.body);
      return reply.code(201).send(entry(record));
    },
  );

  app.get(
    '/documents/:id/decisions',
    {
      schema: {
        tags: ['decisions'],
        summary: 'The decision log of a document, newest first (every member of the group may read it)',
        params,
        response: { 200: DecisionList, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { document } = documentAccess(stores, request.caller.user, request.params.id);
      return { decisions: stores.decisions.forDocument(document.id).map(entry) };
    },
  );

  app.post(
    '/documents/:id/decisions/:decisionId/undo',
    {
      schema: {
        tags: ['decisions'],
        summary: 'Undo a decision (chair), unless the text it changed has been edited since',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), decisionId: Type.Integer() }),
        response: { 201: DecisionEntry, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { document } = chairAccess(stores, request.caller.user, request.params.id);
      return reply.code(201).send(entry(undoDecision(services, document, request.caller.user.id, request.params.decisionId)));
    },
  );
};
