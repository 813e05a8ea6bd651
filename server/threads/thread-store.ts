import type { Db } from '../storage/database.ts';
import type { CommentView, ThreadView } from '../../shared/api.ts';
import { canSeeThread, privateScope, resolveRefusal, speaksFor } from '../../shared/threads.ts';
import type { Viewer } from '../../shared/threads.ts';

/**
 * Comment threads in SQLite. Reads are always for a viewer: threads outside the viewer's sight are
 * filtered here, in SQL and again by `canSeeThread`, so no route can hand out a private thread.
 */
interface ThreadRow {
  id: number;
  document_id: string;
  scope: string;
  owner: string;
  anchor_start: Buffer;
  anchor_end: Buffer;
  quote: string;
  provision_id: string | null;
  created_at: string;
  resolved_at: string | null;
  resolver: string | null;
}

interface CommentRow {
  id: number;
  thread_id: number;
  user_id: number | null;
  author: string | null;
  speaks_for: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

/** A thread with its comments and mentions, as read from the database, before it is seen by anyone. */
export interface LoadedThread {
  row: ThreadRow;
  comments: CommentRow[];
  mentions: { comment_id: number; id: number; name: string }[];
}

export class ThreadError extends Error {
  constructor(
    readonly status: 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

const THREAD_SELECT = `SELECT t.*, r.display_name AS resolver FROM threads t LEFT JOIN users r ON r.id = t.resolved_by`;

export class ThreadStore {
  constructor(private readonly db: Db) {}

  /** The threads of a document the viewer may see, oldest first. */
  list(documentId: string, viewer: Viewer): ThreadView[] {
    const rows = this.db
      .prepare(`${THREAD_SELECT} WHERE t.document_id = ? AND t.scope IN ('public', ?) ORDER BY t.id`)
      .all(documentId, viewer.role === 'observer' ? 'public' : privateScope(viewer)) as ThreadRow[];
    return rows.filter((row) => canSeeThread(row.scope, viewer)).map((row) => this.#view(this.#load(row), viewer));
  }

  /** One thread, if the viewer may see it (a private thread of another scope is "not found"). */
  get(threadId: number, viewer: Viewer): { view: ThreadView; documentId: string; scope: string; owner: string } {
    const row = this.db.prepare(`${THREAD_SELECT} WHERE t.id = ?`).get(threadId) as ThreadRow | undefined;
    if (!row || !canSeeThread(row.scope, viewer)) throw new ThreadError(404, `no thread ${threadId}`);
    return { view: this.#view(this.#load(row), viewer), documentId: row.document_id, scope: row.scope, owner: row.owner };
  }

  /** Scope and document of a thread, for deciding who is told of a change (no visibility check). */
  scopeOf(threadId: number): { documentId: string; scope: string } | null {
    const row = this.db.prepare('SELECT document_id, scope FROM threads WHERE id = ?').get(threadId) as { document_id: string; scope: string } | undefined;
    return row ? { documentId: row.document_id, scope: row.scope } : null;
  }

  create(input: {
    documentId: string;
    viewer: Viewer;
    visibility: 'public' | 'private';
    start: Buffer;
    end: Buffer;
    quote: string;
    provisionId: string | null;
    body: string;
    mentions: number[];
  }): number {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO threads (document_id, scope, owner, anchor_start, anchor_end, quote, provision_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(
          input.documentId,
          input.visibility === 'public' ? 'public' : privateScope(input.viewer),
          speaksFor(input.viewer),
          input.start,
          input.end,
          input.quote,
          input.provisionId,
          input.viewer.userId,
        );
      const threadId = Number(lastInsertRowid);
      this.#addComment(threadId, input.viewer, input.body, input.mentions);
      return threadId;
    })();
  }

  reply(threadId: number, viewer: Viewer, body: string, mentions: number[]): void {
    this.get(threadId, viewer);
    this.db.transaction(() => this.#addComment(threadId, viewer, body, mentions))();
  }

  /** Edits one's own comment; returns its thread. */
  edit(commentId: number, viewer: Viewer, body: string, mentions: number[]): number {
    const comment = this.#ownComment(commentId, viewer, 'edit');
    this.db.transaction(() => {
      this.db.prepare("UPDATE comments SET body = ?, edited_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(body, commentId);
      this.db.prepare('DELETE FROM comment_mentions WHERE comment_id = ?').run(commentId);
      for (const id of mentions) this.db.prepare('INSERT OR IGNORE INTO comment_mentions (comment_id, delegation_id) VALUES (?, ?)').run(commentId, id);
    })();
    return comment.thread_id;
  }

  /** Deletes one's own comment (its place stays, marked deleted); returns its thread. */
  remove(commentId: number, viewer: Viewer): number {
    const comment = this.#ownComment(commentId, viewer, 'delete');
    this.db.transaction(() => {
      this.db.prepare("UPDATE comments SET body = '', deleted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(commentId);
      this.db.prepare('DELETE FROM comment_mentions WHERE comment_id = ?').run(commentId);
    })();
    return comment.thread_id;
  }

  setResolved(threadId: number, viewer: Viewer, resolved: boolean): void {
    const { owner, view } = this.get(threadId, viewer);
    const refusal = resolveRefusal(owner, viewer);
    if (refusal) throw new ThreadError(403, refusal);
    if (view.resolved === resolved) throw new ThreadError(409, `the thread is already ${resolved ? 'resolved' : 'open'}`);
    if (resolved) this.db.prepare("UPDATE threads SET resolved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), resolved_by = ? WHERE id = ?").run(viewer.userId, threadId);
    else this.db.prepare('UPDATE threads SET resolved_at = NULL, resolved_by = NULL WHERE id = ?').run(threadId);
  }

  /** Moves a thread's anchor (after the server checked the words are the same). */
  moveAnchor(threadId: number, start: Buffer, end: Buffer, provisionId: string | null): void {
    this.db.prepare('UPDATE threads SET anchor_start = ?, anchor_end = ?, provision_id = ? WHERE id = ?').run(start, end, provisionId, threadId);
  }

  /** Open threads per document the viewer may see, for the group page. */
  openCounts(documentIds: string[], viewer: Viewer): Map<string, number> {
    const counts = new Map<string, number>();
    const statement = this.db.prepare("SELECT count(*) AS n FROM threads WHERE document_id = ? AND resolved_at IS NULL AND scope IN ('public', ?)");
    const scope = viewer.role === 'observer' ? 'public' : privateScope(viewer);
    for (const id of documentIds) counts.set(id, (statement.get(id, scope) as { n: number }).n);
    return counts;
  }

  #ownComment(commentId: number, viewer: Viewer, what: string): CommentRow {
    const comment = this.db.prepare('SELECT * FROM comments WHERE id = ?').get(commentId) as CommentRow | undefined;
    if (!comment) throw new ThreadError(404, `no comment ${commentId}`);
    this.get(comment.thread_id, viewer); // 404 when the thread is out of sight
    if (comment.user_id !== viewer.userId) throw new ThreadError(403, `you can ${what} only your own comments`);
    if (comment.deleted_at) throw new ThreadError(409, 'the comment was deleted');
    return comment;
  }

  #addComment(threadId: number, viewer: Viewer, body: string, mentions: number[]): void {
    const { lastInsertRowid } = this.db.prepare('INSERT INTO comments (thread_id, user_id, speaks_for, body) VALUES (?, ?, ?, ?)').run(threadId, viewer.userId, speaksFor(viewer), body);
    for (const id of mentions) this.db.prepare('INSERT OR IGNORE INTO comment_mentions (comment_id, delegation_id) VALUES (?, ?)').run(Number(lastInsertRowid), id);
  }

  /** Everything about a thread that is the same for every reader, read once for many of them. */
  load(threadId: number): LoadedThread | null {
    const row = this.db.prepare(`${THREAD_SELECT} WHERE t.id = ?`).get(threadId) as ThreadRow | undefined;
    return row ? this.#load(row) : null;
  }

  /** The thread as `viewer` sees it; null when it is out of their sight. */
  viewFor(loaded: LoadedThread, viewer: Viewer): ThreadView | null {
    return canSeeThread(loaded.row.scope, viewer) ? this.#view(loaded, viewer) : null;
  }

  #load(row: ThreadRow): LoadedThread {
    const comments = this.db.prepare('SELECT c.*, u.display_name AS author FROM comments c LEFT JOIN users u ON u.id = c.user_id WHERE c.thread_id = ? ORDER BY c.id').all(row.id) as CommentRow[];
    const mentions = this.db
      .prepare('SELECT m.comment_id, d.id, d.name FROM comment_mentions m JOIN comments c ON c.id = m.comment_id JOIN delegations d ON d.id = m.delegation_id WHERE c.thread_id = ? ORDER BY d.name')
      .all(row.id) as { comment_id: number; id: number; name: string }[];
    return { row, comments, mentions };
  }

  #view({ row, comments, mentions }: LoadedThread, viewer: Viewer): ThreadView {
    return {
      id: row.id,
      visibility: row.scope === 'public' ? 'public' : 'private',
      owner: row.owner,
      anchor: { start: row.anchor_start.toString('base64'), end: row.anchor_end.toString('base64') },
      quote: row.quote,
      provisionId: row.provision_id,
      createdAt: row.created_at,
      resolved: row.resolved_at !== null,
      resolvedAt: row.resolved_at,
      resolvedBy: row.resolver,
      mentionsMe: viewer.delegationId !== null && mentions.some((m) => m.id === viewer.delegationId),
      mayResolve: resolveRefusal(row.owner, viewer) === null,
      comments: comments.map(
        (c): CommentView => ({
          id: c.id,
          author: c.author ?? 'a former member',
          speaksFor: c.speaks_for,
          body: c.deleted_at ? '' : c.body,
          createdAt: c.created_at,
          editedAt: c.edited_at,
          deleted: c.deleted_at !== null,
          mine: c.user_id === viewer.userId,
          mentions: mentions.filter((m) => m.comment_id === c.id).map((m) => m.name),
        }),
      ),
    };
  }
}
