import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import type { Services, Stores } from './services.ts';
import { Hub } from './collab/hub.ts';
import { HashingPool } from './auth/hashing-pool.ts';
import { identify } from './auth/identify.ts';
import type { Identity } from './auth/identify.ts';
import { originAllowed } from './auth/origin.ts';
import { forbidden, HttpError } from './http/http-error.ts';
import { StructureError } from '../shared/yjs/strict-document.ts';
import { markForRepair } from './storage/document-migrations/index.ts';
import { healthRoutes } from './routes/health.ts';
import { authRoutes } from './routes/auth.ts';
import { groupRoutes } from './routes/groups.ts';
import { documentRoutes } from './routes/documents.ts';
import { collabRoutes } from './routes/collab.ts';
import { importRoutes } from './routes/import.ts';
import { compilationRoutes } from './routes/compilations.ts';
import { exportRoutes } from './routes/export.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { threadRoutes } from './routes/threads.ts';
import { versionRoutes } from './routes/versions.ts';
import { clientRoutes } from './routes/client.ts';
import { RequestLog } from './http/request-log.ts';
import { DocumentEvents } from './documents/document-events.ts';
import { BracketCounter } from './decisions/bracket-stats.ts';
import { statusOf } from './http/domain-errors.ts';
import { decorateCaller, signedIn } from './http/signed-in.ts';
import { STATUS_CODES } from 'node:http';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    stores: Stores;
    hub: Hub;
    /** The stores, the hub and the documents' live events, as the routes and autosave share them. */
    services: Services;
    /** Password hashing off libuv's thread pool (hashing-pool.ts). */
    hashing: HashingPool;
  }
  interface FastifyRequest {
    /** Who sent the request, or null; set for every /api and /collab request. */
    identity: Identity | null;
  }
}

export type App = FastifyInstance;

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const CREDENTIAL_PARAMETERS = new Set(['token', 'password', 'session']);

/** A URL as logged: query parameters that carry credentials (however percent-encoded their names) become "…". */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const [query, fragment] = url.slice(question + 1).split(/(?=#)/, 2) as [string, string?];
  const parameters = query.split('&').map((parameter) => {
    const equals = parameter.indexOf('=');
    const name = decodeSafely((equals < 0 ? parameter : parameter.slice(0, equals)).replace(/\+/g, ' '));
    return CREDENTIAL_PARAMETERS.has(name.trim().toLowerCase()) ? `${parameter.slice(0, equals < 0 ? undefined : equals)}=…` : parameter;
  });
  return `${url.slice(0, question)}?${parameters.join('&')}${fragment ?? ''}`;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The path a request is routed by: the matched route's pattern, or for no route the percent-decoded
 * path. Every check by path uses it, so `/%61pi/…` (routed to /api/…) meets the same rules.
 */
export function routedPath(request: FastifyRequest): string {
  return request.routeOptions.url ?? decodeSafely(request.url.split('?')[0]!);
}

const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

const isApiPath = (path: string) => path.startsWith('/api/') || path.startsWith('/collab/');

/**
 * Builds the Concord server (tests use it with a port of 0; main.ts is the only place that
 * listens for real). The caller owns the database: it is opened and migrated before.
 */
export async function buildApp(config: Config, stores: Stores) {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // No secrets in logs: the WebSocket's `token` query parameter is cut from logged URLs, and
      // credentials in headers or bodies are never logged (Fastify logs no headers or bodies by default).
      serializers: {
        req: (request: { method: string; url: string; ip?: string }) => ({ method: request.method, url: redactUrl(request.url), remoteAddress: request.ip }),
      },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'password', 'token'],
    },
    // a hop count is given as the function proxy-addr would make of it (Fastify's types lack the number form)
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    // one line per request is noise at a negotiation's pace: RequestLog keeps what an operator needs
    logController: new RequestLog(redactUrl),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const hub = new Hub(
    stores.log,
    {
      idleUnloadMs: config.idleUnloadMs,
      pingIntervalMs: config.pingIntervalMs,
      compactAfterUpdates: config.compactAfterUpdates,
      compactAfterBytes: config.compactAfterBytes,
      messageRate: config.messageRate,
      maxBufferedBytes: config.maxBufferedBytes,
      maxAwarenessClients: 8,
      maxBytesPerMinute: config.maxBytesPerMinute,
      maxDocumentBytes: config.maxDocumentBytes,
      durability: config.durability,
    },
    app.log,
  );
  app.decorate('config', config);
  app.decorate('stores', stores);
  app.decorate('hub', hub);
  app.decorate('services', { stores, hub, events: new DocumentEvents(), brackets: new BracketCounter(stores, hub) } satisfies Services);
  const hashing = new HashingPool();
  app.decorate('hashing', hashing);
  app.decorateRequest('identity', null);
  decorateCaller(app);
  // The pre-check thread starts with the server, not at the first large update (update-precheck.ts).
  app.addHook('onListen', async () => hub.prepare());
  app.addHook('onClose', async () => {
    hub.close();
    await hashing.close();
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // Limits per session or token for who signed in, per address only for the anonymous (with room
  // for a venue behind one address); the page's own files are not limited (a 429 on the script
  // would leave a blank page). Counted after the identity hook below, before the body is read.
  await app.register(rateLimit, {
    hook: 'preParsing',
    timeWindow: 60_000,
    cache: 50_000,
    keyGenerator: (request) => {
      const identity = request.identity;
      if (!identity) return `address:${request.ip}`;
      return identity.session ? `session:${identity.session.slice(0, 16)}` : `user:${identity.user.id}`;
    },
    max: (_request, key) => (key.startsWith('address:') ? config.anonymousRequestsPerMinute : config.requestsPerMinute),
    allowList: (request) => !isApiPath(routedPath(request)),
    errorResponseBuilder: (request, context) =>
      new HttpError(429, `too many requests from ${request.identity ? 'this session' : 'your network address'} (${context.max} a minute); wait ${context.after} and try again`),
  });
  await app.register(websocket, {
    options: { maxPayload: config.maxFrameBytes, perMessageDeflate: false },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Concord API',
        version: '0.1.0',
        description:
          'Real-time drafting for intergovernmental working groups. Authenticate with the session cookie set by POST /api/auth/login, or with `Authorization: Bearer <token>` (tokens from `concord token <username>`).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'concord_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // Who is asking, and cross-site request refusal for cookie-authenticated changes.
  app.addHook('onRequest', async (request) => {
    const path = routedPath(request);
    if (!isApiPath(path)) return;
    request.identity = identify(stores, request, path.startsWith('/collab/'));
    if (!STATE_CHANGING.has(request.method)) return;
    const origin = request.headers.origin;
    if (!originAllowed(origin, config.origins)) {
      throw forbidden(`requests from origin ${origin} are refused; add it to CONCORD_ORIGINS if it is yours`);
    }
    if (request.identity?.method === 'cookie' && origin === undefined) {
      throw forbidden('a change made with a session cookie must carry an Origin header (cross-site request defence)');
    }
  });

  // One error handler for every route: the domain's refusals get their status (domain-errors.ts)
  // and their own words; anything else is Fastify's (validation 400s, HttpErrors, 500s).
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof StructureError) return unreadableText(error, request, reply);
    const status = statusOf(error);
    if (status === null) return reply.send(error);
    if (status === 503) reply.header('retry-after', '5');
    return reply.code(status).send({ statusCode: status, error: STATUS_CODES[status], message: (error as Error).message });
  });

  /**
   * A StructureError reaching a route means the current text of a document cannot be read
   * strictly: nothing the request did, and nothing a retry mends. Answered as a 409 that says so
   * (not an unexplained 500), with the document marked so the next start-up repairs it.
   */
  const unreadableText = (error: StructureError, request: FastifyRequest, reply: FastifyReply) => {
    const id = (request.params as { id?: unknown } | undefined)?.id;
    const document = typeof id === 'string' && request.routeOptions.url?.startsWith('/api/documents/:id') ? stores.documents.get(id) : undefined;
    if (document) markForRepair(stores, document.id);
    request.log.error({ documentId: document?.id, error: error.message }, 'stored text cannot be read');
    const which = document ? `the stored text of ${document.symbol}` : 'the stored text of this document';
    return reply.code(409).send({
      statusCode: 409,
      error: 'Conflict',
      message: `${which} cannot be read (${error.message}); nothing was changed. It is marked for repair: restart the Concord server and its start-up migration repairs it, or tell the secretariat.`,
    });
  };

  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(metricsRoutes, { prefix: '/api' });
  await app.register(authRoutes, { prefix: '/api' });
  await app.register(signedIn([groupRoutes, documentRoutes, importRoutes, compilationRoutes, exportRoutes, decisionRoutes, threadRoutes, versionRoutes]), { prefix: '/api' });
  await app.register(collabRoutes);
  if (config.serveClient) await app.register(clientRoutes);
  return app;
}
