import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { canEditText } from '../../shared/roles.ts';
import { documentAccess } from '../auth/access.ts';
import { originAllowed } from '../auth/origin.ts';
import { participant } from '../collab/identity.ts';
import type { Participant } from '../collab/identity.ts';
import { forbidden } from '../http/http-error.ts';

interface CollabParams {
  documentId: string;
}

/**
 * WebSocket `/collab/<documentId>`: the y-websocket protocol for one document. Everything is
 * decided at the HTTP upgrade, before the socket opens: session or token (401), Origin (403),
 * membership of the document's working group (404 for a document of another group, as for an unknown one).
 */
export const collabRoutes: FastifyPluginAsync = async (app) => {
  const { stores, hub, config } = app;
  const admitted = new WeakMap<object, { who: Participant; readOnly: boolean; session: string | null }>();

  app.get<{ Params: CollabParams }>(
    '/collab/:documentId',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request) => {
        if (!originAllowed(request.headers.origin, config.origins)) {
          throw forbidden(`WebSocket from origin ${request.headers.origin} refused; add it to CONCORD_ORIGINS if it is yours`);
        }
        const user = request.caller.user;
        const { membership } = documentAccess(stores, user, request.params.documentId);
        admitted.set(request.raw, { who: participant(user, membership), readOnly: !canEditText(membership.role), session: request.caller.session });
      },
    },
    (socket, request) => {
      const entry = admitted.get(request.raw);
      if (!entry) {
        socket.close(1008, 'not admitted');
        return;
      }
      releaseUpgrade(socket);
      hub.connect(socket, request.params.documentId, entry.who, entry.readOnly, entry.session);
    },
  );
};

/**
 * Lets go of the HTTP upgrade once the WebSocket is open. @fastify/websocket answers the upgrade
 * through a ServerResponse bound to the TCP socket, and its error listener holds Fastify's request
 * and reply: left alone, every open connection keeps its request, response, headers and logger for
 * as long as it lives (about 5 KiB per connection, measured in a heap snapshot). The hub handles socket
 * errors itself.
 */
function releaseUpgrade(socket: WebSocket): void {
  socket.removeAllListeners('error');
  const tcp = (socket as unknown as { _socket?: Socket & { _httpMessage?: ServerResponse | null } })._socket;
  tcp?._httpMessage?.detachSocket(tcp);
}
