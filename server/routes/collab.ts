import type { FastifyPluginAsync } from 'fastify';
import { canEditText } from '../../shared/roles.ts';
import { documentAccess } from '../auth/access.ts';
import { originAllowed } from '../auth/origin.ts';
import { participant } from '../collab/identity.ts';
import type { Participant } from '../collab/identity.ts';
import { forbidden, unauthorized } from '../http-error.ts';

interface CollabParams {
  documentId: string;
}

/**
 * WebSocket `/collab/<documentId>`: the y-websocket protocol for one document. Everything is
 * decided at the HTTP upgrade, before the socket opens: session or token (401), Origin (403),
 * membership of the document's working group (403 / 404).
 */
export const collabRoutes: FastifyPluginAsync = async (app) => {
  const { stores, hub, config } = app;
  const admitted = new WeakMap<object, { who: Participant; readOnly: boolean }>();

  app.get<{ Params: CollabParams }>(
    '/collab/:documentId',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request) => {
        if (!originAllowed(request.headers.origin, config.origins)) {
          throw forbidden(`WebSocket from origin ${request.headers.origin} refused; add it to CONCORD_ORIGINS if it is yours`);
        }
        if (!request.identity) throw unauthorized();
        const user = request.identity.user;
        const { membership } = documentAccess(stores, user, request.params.documentId);
        admitted.set(request.raw, { who: participant(user, membership), readOnly: !canEditText(membership.role) });
      },
    },
    (socket, request) => {
      const entry = admitted.get(request.raw);
      if (!entry) {
        socket.close(1008, 'not admitted');
        return;
      }
      // @fastify/websocket's own error listener keeps the whole request and reply alive for as long
      // as the socket is open; the hub handles socket errors itself, so a connection costs less.
      socket.removeAllListeners('error');
      hub.connect(socket, request.params.documentId, entry.who, entry.readOnly);
    },
  );
};
