import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CommentBody, ErrorBody, NewThreadBody, ThreadList, ThreadView } from '../../shared/api.ts';
import { commentRefusal, mentionedDelegations } from '../../shared/threads.ts';
import type { Viewer } from '../../shared/threads.ts';
import { documentAccess } from '../auth/access.ts';
import { forbidden, HttpError, unauthorized } from '../http-error.ts';
import { ThreadError, ThreadStore } from '../threads/thread-store.ts';
import { ThreadEvents } from '../threads/thread-events.ts';
import type { Stores } from '../services.ts';
import type { User } from '../storage/accounts.ts';

/**
 * Comment threads: list, open (anchored to a range of text), reply, edit and delete one's own
 * comment, resolve and reopen, and a live stream of changes (Server-Sent Events). Authorship, time
 * and visibility scope are set here from the session, never taken from the client.
 */
const MAX_ANCHOR_BYTES = 256;

function viewerOf(stores: Stores, user: User, documentId: string) {
  const { document, membership } = documentAccess(stores, user, documentId);
  const viewer: Viewer = {
    userId: user.id,
    role: membership.role,
    delegationId: membership.delegation?.id ?? null,
    delegationName: membership.delegation?.name ?? null,
  };
  return { document, viewer };
}

function anchorBytes(value: string, which: string): Buffer {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_ANCHOR_BYTES) throw new HttpError(400, `the anchor's ${which} is not a position in the text`);
  return bytes;
}

const asHttp = (error: unknown): never => {
  if (error instanceof ThreadError) throw new HttpError(error.status, error.message);
  throw error;
};

export const threadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { stores } = app;
  const threads = new ThreadStore(stores.db);
  const events = new ThreadEvents();
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of streams) end();
  });

  const mentionsIn = (groupId: number, body: string) => {
    const delegations = stores.accounts.delegations(groupId);
    const names = mentionedDelegations(body, delegations.map((d) => d.name));
    return delegations.filter((d) => names.includes(d.name)).map((d) => d.id);
  };
  /** Tells the document's live subscribers (those who may see it) that a thread changed. */
  const announce = (threadId: number) => {
    const where = threads.scopeOf(threadId);
    if (where) events.changed(where.documentId, where.scope, (viewer) => threads.get(threadId, viewer).view);
  };
  const threadViewer = (user: User, threadId: number) => {
    const where = threads.scopeOf(threadId);
    if (!where) throw new HttpError(404, `no thread ${threadId}`);
    return viewerOf(stores, user, where.documentId);
  };
  const requireCommenter = (viewer: Viewer) => {
    const refusal = commentRefusal(viewer);
    if (refusal) throw forbidden(refusal);
  };

  const docParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
  const threadParams = Type.Object({ threadId: Type.Integer() });
  const commentParams = Type.Object({ commentId: Type.Integer() });
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  app.get('/documents/:id/threads', {
    schema: { tags: ['threads'], summary: 'The comment threads of a document the user may see (public, and private to their delegation)', params: docParams, response: { 200: ThreadList, ...errors } },
  }, async (request) => {
    if (!request.identity) throw unauthorized();
    const { document, viewer } = viewerOf(stores, request.identity.user, request.params.id);
    return { threads: threads.list(document.id, viewer) };
  });

  app.post('/documents/:id/threads', {
    schema: { tags: ['threads'], summary: 'Open a thread on a range of text, public or private to your delegation', params: docParams, body: NewThreadBody, response: { 201: ThreadView, ...errors } },
  }, async (request, reply) => {
    if (!request.identity) throw unauthorized();
    const { document, viewer } = viewerOf(stores, request.identity.user, request.params.id);
    requireCommenter(viewer);
    const { visibility, anchor, quote, provisionId, body } = request.body;
    const id = threads.create({
      documentId: document.id, viewer, visibility,
      start: anchorBytes(anchor.start, 'start'), end: anchorBytes(anchor.end, 'end'),
      quote, provisionId: provisionId ?? null, body, mentions: mentionsIn(document.groupId, body),
    });
    announce(id);
    return reply.code(201).send(threads.get(id, viewer).view);
  });

  app.post('/threads/:threadId/comments', {
    schema: { tags: ['threads'], summary: 'Reply in a thread', params: threadParams, body: CommentBody, response: { 201: ThreadView, ...errors } },
  }, async (request, reply) => {
    if (!request.identity) throw unauthorized();
    const { document, viewer } = threadViewer(request.identity.user, request.params.threadId);
    requireCommenter(viewer);
    try {
      threads.reply(request.params.threadId, viewer, request.body.body, mentionsIn(document.groupId, request.body.body));
    } catch (error) {
      asHttp(error);
    }
    announce(request.params.threadId);
    return reply.code(201).send(threads.get(request.params.threadId, viewer).view);
  });

  app.patch('/comments/:commentId', {
    schema: { tags: ['threads'], summary: 'Edit your own comment', params: commentParams, body: CommentBody, response: { 200: ThreadView, ...errors } },
  }, async (request) => {
    if (!request.identity) throw unauthorized();
    const threadId = commentThread(stores, request.params.commentId);
    const { document, viewer } = threadViewer(request.identity.user, threadId);
    try {
      threads.edit(request.params.commentId, viewer, request.body.body, mentionsIn(document.groupId, request.body.body));
    } catch (error) {
      asHttp(error);
    }
    announce(threadId);
    return threads.get(threadId, viewer).view;
  });

  app.delete('/comments/:commentId', {
    schema: { tags: ['threads'], summary: 'Delete your own comment', params: commentParams, response: { 200: ThreadView, ...errors } },
  }, async (request) => {
    if (!request.identity) throw unauthorized();
    const threadId = commentThread(stores, request.params.commentId);
    const { viewer } = threadViewer(request.identity.user, threadId);
    try {
      threads.remove(request.params.commentId, viewer);
    } catch (error) {
      asHttp(error);
    }
    announce(threadId);
    return threads.get(threadId, viewer).view;
  });

  for (const [path, resolved] of [['resolve', true], ['reopen', false]] as const) {
    app.post(`/threads/:threadId/${path}`, {
      schema: { tags: ['threads'], summary: `${resolved ? 'Resolve' : 'Reopen'} a thread (its delegation or the chair)`, params: threadParams, response: { 200: ThreadView, ...errors } },
    }, async (request) => {
      if (!request.identity) throw unauthorized();
      const { viewer } = threadViewer(request.identity.user, request.params.threadId);
      try {
        threads.setResolved(request.params.threadId, viewer, resolved);
      } catch (error) {
        asHttp(error);
      }
      announce(request.params.threadId);
      return threads.get(request.params.threadId, viewer).view;
    });
  }

  app.get('/documents/:id/threads/events', {
    schema: {
      tags: ['threads'],
      summary: 'Live thread changes (text/event-stream): an event "thread" with the thread as you see it, whenever one you may see changes',
      params: docParams,
      response: { 200: Type.String(), ...errors },
    },
  }, async (request, reply) => {
    if (!request.identity) throw unauthorized();
    const { document, viewer } = viewerOf(stores, request.identity.user, request.params.id);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(': threads of this document\n\n');
    const unsubscribe = events.subscribe(document.id, {
      viewer,
      send: (event, data) => {
        raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      },
    });
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(end);
    };
    const end = () => {
      stop();
      raw.end();
    };
    streams.add(end);
    request.raw.on('close', stop);
  });
};

function commentThread(stores: Stores, commentId: number): number {
  const row = stores.db.prepare('SELECT thread_id FROM comments WHERE id = ?').get(commentId) as { thread_id: number } | undefined;
  if (!row) throw new HttpError(404, `no comment ${commentId}`);
  return row.thread_id;
}
