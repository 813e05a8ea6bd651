import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Identity } from '../auth/identify.ts';
import { unauthorized } from './http-error.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in; only on routes of the signed-in scope (elsewhere it answers 401 itself). */
    readonly caller: Identity;
  }
}

/** `request.caller`: the identity a signed-in route acts for, never null. */
export function decorateCaller(app: FastifyInstance): void {
  app.decorateRequest('caller', {
    getter(this: { identity: Identity | null }) {
      if (!this.identity) throw unauthorized();
      return this.identity;
    },
  });
}

/**
 * The routes that need a signed-in user, in one scope whose hook answers 401 before anything else
 * runs (no route checks for itself), as the request is identified by the app's own hook first.
 */
export function signedIn(routes: FastifyPluginAsync[]): FastifyPluginAsync {
  return async (scope) => {
    scope.addHook('onRequest', async (request) => {
      if (!request.identity) throw unauthorized();
    });
    for (const plugin of routes) await scope.register(plugin);
  };
}
