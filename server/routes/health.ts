import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '../../shared/api.ts';

const started = Date.now();

/** Liveness for load balancers and the CLI: answers without a session. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { tags: ['system'], security: [], response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
    version: '0.1.0',
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
  }));
};
