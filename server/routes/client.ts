import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { CLIENT_DIST } from '../client-build.ts';

/** Vite names every built asset after its content hash: a new build is a new URL. */
const HASHED = /^\/?assets\//;

/**
 * Serves the built browser app; every page path that is not a file gets index.html. Files go out
 * compressed as built (brotli or gzip, see scripts/precompress.ts); hashed assets are cached for a
 * year as immutable, while index.html and the other unhashed files are revalidated every time, so a
 * new release reaches the room at the next page load.
 */
export const clientRoutes: FastifyPluginAsync = async (app) => {
  if (!existsSync(CLIENT_DIST)) {
    app.log.warn(`no client build in ${CLIENT_DIST}; run "npm run build"`);
    return;
  }
  await app.register(fastifyStatic, {
    root: CLIENT_DIST,
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      const relative = (path.startsWith(CLIENT_DIST) ? path.slice(CLIENT_DIST.length) : path).replaceAll('\\', '/');
      reply.header('cache-control', HASHED.test(relative) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/api/') || request.url.startsWith('/collab/')) {
      reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
      return;
    }
    reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
  });
};
