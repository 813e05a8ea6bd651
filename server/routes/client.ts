import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { CLIENT_DIST } from '../client-build.ts';

/** Serves the built browser app; every page path that is not a file gets index.html. */
export const clientRoutes: FastifyPluginAsync = async (app) => {
  if (!existsSync(CLIENT_DIST)) {
    app.log.warn(`no client build in ${CLIENT_DIST}; run "npm run build"`);
    return;
  }
  await app.register(fastifyStatic, { root: CLIENT_DIST, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/api/') || request.url.startsWith('/collab/')) {
      reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
      return;
    }
    reply.type('text/html').sendFile('index.html');
  });
};
