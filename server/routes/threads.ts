import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { Type } from 'typebox';
import { CommentBody, ErrorBody, NewThreadBody, ThreadAnchorBody, ThreadList, ThreadView } from '../../shared/api.ts';
import { commentRefusal, MAX_COMMENT_LENGTH, mentionedDelegations } from '../../shared/threads.ts';
import type { Viewer } from '../../shared/threads.ts';
import { documentAccess } from '../auth/access.ts';
import { identify } from '../auth/identify.ts';
import { forbidden, HttpError } from '../http/http-error.ts';
import { ThreadError } from '../threads/thread-store.ts';
import { anchoredWords, quoteAnchor } from '../threads/thread-anchor.ts';
import { commentText, CommentRateLimit, DEFAULT_COMMENT_LIMITS } from '../threads/comment-limits.ts';
import type { CommentLimitOptions } from '../threads/comment-limits.ts';
import type { Stores } from '../services.ts';
import type { User } from '../storage/accounts.ts';

/**
 * Comment threads: list, open (anchored to a range of text), reply, edit and delete one's own
 * comment, resolve and reopen, and a live stream of changes (Server-Sent Events). Authorship, time,
 * visibility scope and the quoted words are set here from the session and the server's text, never
 * taken from the client. Private threads never touch the shared Yjs document.
 */
export interface ThreadRouteOptions {
  limits?: Partial<CommentLimitOptions>;
  /** How often an idle live stream is sent a keep-alive and its reader's standing checked; default 25 s. */
  heartbeatMs?: number;
}

/** A stream whose reader lets this much pile up unread is ended (the browser reconnects and reloads). */
const MAX_STREAM_BACKLOG = 1024 * 1024;

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

/** Validation errors in words a person can act on ("a comment can be at most 4000 characters"). */
function schemaError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const first = errors[0];
  if (first && dataVar === 'body' && first.instancePath === '/body') {
    if (first.keyword === 'maxLength') return new Error(`a comment can be at most ${MAX_COMMENT_LENGTH} characters`);
    if (first.keyword === 'minLength') return new Error('a comment cannot be empty');
  }
  return new Error(errors.map((e) => `${dataVar}${e.instancePath} ${e.message ?? 'is not valid'}`).join(', '));
}

export const threadRoutes: FastifyPluginAsyncTypebox<ThreadRouteOptions> = async (app, options) => {
  const { stores, hub } = app;
  const { threads } = stores;
  const { events } = app.services;
  const limits = { ...DEFAULT_COMMENT_LIMITS, ...options.limits };
  const rate = new CommentRateLimit(limits);
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of [...streams]) end();
  });
  app.setSchemaErrorFormatter(schemaError);

  const mentionsIn = (groupId: number, body: string) => {
    const delegations = stores.accounts.delegations(groupId);
    const names = mentionedDelegations(
      body,
      delegations.map((d) => d.name),
    );
    return delegations.filter((d) => names.includes(d.name)).map((d) => d.id);
  };
  /** Tells the document's live subscribers (those who may see it) that a thread changed. */
  const announce = (threadId: number) => {
    const loaded = threads.load(threadId);
    if (loaded) events.threadChanged(loaded.row.document_id, loaded.row.scope, (viewer) => threads.viewFor(loaded, viewer));
  };
  /**
   * The thread's document and the user as its viewer. A thread out of their sight (another
   * group's, or private to another delegation) gets exactly the answer of one that never was.
   */
  const threadViewer = (user: User, threadId: number, notFound = new HttpError(404, `no thread ${threadId}`)) => {
    const where = threads.scopeOf(threadId);
    if (!where) throw notFound;
    let found: ReturnType<typeof viewerOf>;
    try {
      found = viewerOf(stores, user, where.documentId);
      threads.get(threadId, found.viewer);
    } catch (error) {
      // another group's thread, or a private one: the same answer as for a thread that never was
      if (error instanceof HttpError || error instanceof ThreadError) throw notFound;
      throw error;
    }
    return found;
  };
  /** The same for a comment, by its id: "no comment N" whether it never was or is out of sight. */
  const commentViewer = (user: User, commentId: number) => {
    const notFound = new HttpError(404, `no comment ${commentId}`);
    const row = stores.db.prepare('SELECT thread_id FROM comments WHERE id = ?').get(commentId) as { thread_id: number } | undefined;
    if (!row) throw notFound;
    return { threadId: row.thread_id, ...threadViewer(user, row.thread_id, notFound) };
  };
  const requireCommenter = (viewer: Viewer) => {
    const refusal = commentRefusal(viewer);
    if (refusal) throw forbidden(refusal);
  };
  /** Counts a comment against the writer's rate limit, last, once everything else is in order. */
  const countComment = (viewer: Viewer) => {
    const tooFast = rate.take(viewer.userId);
    if (tooFast) throw new HttpError(429, tooFast);
  };
  const bodyOf = (body: string) => {
    const checked = commentText(body);
    if ('refusal' in checked) throw new HttpError(400, checked.refusal);
    return checked.text;
  };

  const docParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
  const threadParams = Type.Object({ threadId: Type.Integer() });
  const commentParams = Type.Object({ commentId: Type.Integer() });
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

  app.get(
    '/documents/:id/threads',
    {
      schema: {
        tags: ['threads'],
        summary: 'The comment threads of a document the user may see (public, and private to their delegation)',
        params: docParams,
        response: { 200: ThreadList, ...errors },
      },
    },
    async (request) => {
      const { document, viewer } = viewerOf(stores, request.caller.user, request.params.id);
      return { threads: threads.list(document.id, viewer) };
    },
  );

  app.post(
    '/documents/:id/threads',
    {
      schema: {
        tags: ['threads'],
        summary: 'Open a thread on a range of text, public or private to your delegation',
        description: `The anchor is a pair of Yjs relative positions in the document's text; the server quotes the words between them. At most ${limits.comments} comments per user in ${limits.windowMs / 1000} s.`,
        params: docParams,
        body: NewThreadBody,
        response: { 201: ThreadView, ...errors },
      },
    },
    async (request, reply) => {
      const { document, viewer } = viewerOf(stores, request.caller.user, request.params.id);
      requireCommenter(viewer);
      const body = bodyOf(request.body.body);
      const anchor = quoteAnchor(hub.state(document.id), request.body.anchor);
      countComment(viewer);
      const id = threads.create({
        documentId: document.id,
        viewer,
        visibility: request.body.visibility,
        start: anchor.start,
        end: anchor.end,
        quote: anchor.quote,
        provisionId: anchor.provisionId,
        body,
        mentions: mentionsIn(document.groupId, body),
      });
      announce(id);
      return reply.code(201).send(threads.get(id, viewer).view);
    },
  );

  app.post(
    '/threads/:threadId/comments',
    {
      schema: { tags: ['threads'], summary: 'Reply in a thread', params: threadParams, body: CommentBody, response: { 201: ThreadView, ...errors } },
    },
    async (request, reply) => {
      const { threadId } = request.params;
      const { document, viewer } = threadViewer(request.caller.user, threadId);
      requireCommenter(viewer);
      const body = bodyOf(request.body.body);
      countComment(viewer);
      threads.reply(threadId, viewer, body, mentionsIn(document.groupId, body));
      announce(threadId);
      return reply.code(201).send(threads.get(threadId, viewer).view);
    },
  );

  app.patch(
    '/comments/:commentId',
    {
      schema: { tags: ['threads'], summary: 'Edit your own comment', params: commentParams, body: CommentBody, response: { 200: ThreadView, ...errors } },
    },
    async (request) => {
      const { threadId, document, viewer } = commentViewer(request.caller.user, request.params.commentId);
      requireCommenter(viewer);
      const body = bodyOf(request.body.body);
      countComment(viewer);
      threads.edit(request.params.commentId, viewer, body, mentionsIn(document.groupId, body));
      announce(threadId);
      return threads.get(threadId, viewer).view;
    },
  );

  app.delete(
    '/comments/:commentId',
    {
      schema: { tags: ['threads'], summary: 'Delete your own comment (its place in the thread stays, marked deleted)', params: commentParams, response: { 200: ThreadView, ...errors } },
    },
    async (request) => {
      const { threadId, viewer } = commentViewer(request.caller.user, request.params.commentId);
      threads.remove(request.params.commentId, viewer);
      announce(threadId);
      return threads.get(threadId, viewer).view;
    },
  );

  for (const [path, resolved] of [
    ['resolve', true],
    ['reopen', false],
  ] as const) {
    app.post(
      `/threads/:threadId/${path}`,
      {
        schema: { tags: ['threads'], summary: `${resolved ? 'Resolve' : 'Reopen'} a thread (its delegation or the chair)`, params: threadParams, response: { 200: ThreadView, ...errors } },
      },
      async (request) => {
        const { threadId } = request.params;
        const { viewer } = threadViewer(request.caller.user, threadId);
        threads.setResolved(threadId, viewer, resolved);
        announce(threadId);
        return threads.get(threadId, viewer).view;
      },
    );
  }

  app.post(
    '/threads/:threadId/anchor',
    {
      schema: {
        tags: ['threads'],
        summary: 'Re-attach a detached thread to its words where they now are',
        description:
          "When a provision is split, its words move into new text and a thread on them loses its anchor. Any member who may comment can re-attach it: the server accepts only when the thread's anchor covers no words any more and the new one covers exactly the thread's quote.",
        params: threadParams,
        body: ThreadAnchorBody,
        response: { 200: ThreadView, ...errors },
      },
    },
    async (request) => {
      const { threadId } = request.params;
      const { document, viewer } = threadViewer(request.caller.user, threadId);
      requireCommenter(viewer);
      const { row } = threads.load(threadId)!;
      const state = hub.state(document.id);
      if (anchoredWords(state, { start: row.anchor_start, end: row.anchor_end }) !== '') throw new HttpError(409, 'the thread is still on its words');
      const next = quoteAnchor(state, request.body.anchor);
      if (next.quote !== row.quote) throw new HttpError(409, `the new anchor covers “${next.quote.slice(0, 80)}”, not the thread's words “${row.quote.slice(0, 80)}”`);
      threads.moveAnchor(threadId, next.start, next.end, next.provisionId);
      announce(threadId);
      return threads.get(threadId, viewer).view;
    },
  );

  /**
   * The document's live stream: its threads (each as this user sees it), the chair's decisions and
   * its versions. `/threads/events` is its older name, kept for scripts that follow the comments.
   */
  const streamSchema = (summary: string) => ({
    tags: ['threads'],
    summary,
    description:
      'An event "thread" carries a thread as you see it (ThreadView JSON) whenever one you may see is opened, answered, edited or resolved; ' +
      'an event "decision" a decision of the chair as the decision log lists it (DecisionEntry JSON), taken or undone; ' +
      'an event "version" a version taken or restored (VersionSummary JSON). ' +
      'An event "end" says why the server ended the stream (for instance a logout, or a change of your delegation). ' +
      `At most ${limits.streams} streams per user.`,
    params: docParams,
    response: { 200: Type.String(), ...errors },
  });
  for (const [path, summary] of [
    ['/documents/:id/events', 'Live changes of a document: threads, decisions, versions (text/event-stream)'],
    ['/documents/:id/threads/events', 'Live changes of a document (text/event-stream); the older name of /documents/{id}/events'],
  ] as const)
    app.get(path, { schema: streamSchema(summary) }, async (request, reply) => {
      const { user } = request.caller;
      const { document, viewer } = viewerOf(stores, user, request.params.id);
      if (events.countOf(user.id) >= limits.streams) {
        throw new HttpError(429, `you have ${limits.streams} live streams of documents open already; close other tabs of Concord`);
      }
      /** Same person, same session or token, same role and delegation in the group. */
      const stillValid = () => {
        const again = identify(stores, request, false);
        if (!again || again.user.id !== user.id) return false;
        const membership = stores.accounts.membership(user.id, document.groupId);
        return membership !== undefined && membership.role === viewer.role && (membership.delegation?.id ?? null) === viewer.delegationId;
      };
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      raw.write(': live changes of this document\n\n');
      let open = true;
      const write = (chunk: string) => {
        if (!open) return;
        if (raw.writableLength > MAX_STREAM_BACKLOG) end('the connection is too slow to follow the document; reconnecting');
        else raw.write(chunk);
      };
      const unsubscribe = events.subscribe(document.id, {
        userId: user.id,
        viewer,
        stillValid,
        send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        end: (reason) => end(reason),
      });
      const heartbeat = setInterval(() => (stillValid() ? write(': keep-alive\n\n') : end('your session ended or your access to this document changed')), heartbeatMs);
      heartbeat.unref();
      const stop = () => {
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(shutdown);
      };
      function end(reason: string) {
        if (!open) return;
        raw.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
        stop();
        raw.end();
      }
      const shutdown = () => end('the server is shutting down');
      streams.add(shutdown);
      request.raw.on('close', stop);
    });
};
