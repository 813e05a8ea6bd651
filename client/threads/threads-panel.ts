import { Plugin, PluginKey, TextSelection } from 'prosemirror-state';
import type { Command, EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { EditorView } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';
import type { ThreadView } from '../../shared/api.ts';
import { api, ApiError } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { sentence } from '../app/format.ts';
import { anchorOf, place } from './anchors.ts';
import type { Placed } from './anchors.ts';
import { renderCommentBody } from './comment-body.ts';
import { clearMentionNotes, notifyMention } from './mention-note.ts';
import { documentStream } from '../pages/document-stream.ts';
import '../styles/threads.css';

/**
 * The comments sidebar: threads beside their text in document order, their anchors highlighted in
 * the text, a form to comment on the selection (public, or private to one's delegation), replies,
 * editing and deleting one's own comments, resolving and reopening, filters (delegation, open or
 * resolved, public or private, mentions of my delegation). Threads arrive live from the server's
 * event stream, each as this user may see it. Anchors are Yjs relative positions, so they follow
 * the text through everyone's edits; a thread whose text was deleted is shown as detached, with the
 * words it was about.
 */
export interface ThreadsOptions {
  documentId: string;
  /** The delegation (or office) the user speaks for: "Private to Brazil". */
  speaksFor: string;
  canComment: boolean;
  /** Called with the number of open threads shown, for the tab's label. */
  onCount(open: number): void;
  /** Brings the comments panel into view (when a mention notification is followed). */
  reveal?(): void;
}

interface ThreadsState {
  threads: ThreadView[];
  active: number | null;
  decorations: DecorationSet;
}
const key = new PluginKey<ThreadsState>('threads');

function decorate(state: EditorState, threads: ThreadView[], active: number | null): DecorationSet {
  const decorations: Decoration[] = [];
  for (const { thread, from, to } of place(state, threads)) {
    if (from === null || to === null || thread.resolved) continue;
    decorations.push(
      Decoration.inline(from, to, {
        class: `comment-anchor${thread.visibility === 'private' ? ' is-private' : ''}${thread.id === active ? ' is-active' : ''}`,
        'data-thread': String(thread.id),
      }),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

export function threadsPlugin(mount: HTMLElement, options: ThreadsOptions): Plugin<ThreadsState> {
  return new Plugin<ThreadsState>({
    key,
    state: {
      init: (_, state): ThreadsState => ({ threads: [], active: null, decorations: decorate(state, [], null) }),
      apply(tr, value, _old, state): ThreadsState {
        const meta = tr.getMeta(key) as { threads?: ThreadView[]; active?: number | null } | undefined;
        if (!meta && !tr.docChanged) return value;
        const threads = meta?.threads ?? value.threads;
        const active = meta && 'active' in meta ? (meta.active ?? null) : value.active;
        // A local edit reaches the Yjs document only in y-prosemirror's view update, after every
        // plugin's apply: resolving the anchors now would read the text as it was before the edit.
        // So a local edit moves the highlights by its own mapping; changes that come from Yjs
        // (everyone else's edits) resolve the anchors afresh.
        const fromYjs = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
        if (!meta && !fromYjs) return { threads, active, decorations: value.decorations.map(tr.mapping, tr.doc) };
        return { threads, active, decorations: decorate(state, threads, active) };
      },
    },
    props: {
      decorations: (state) => key.getState(state)?.decorations,
      // A click in highlighted text brings its thread forward in the sidebar.
      handleClick(view, pos) {
        const threads = key.getState(view.state)?.threads ?? [];
        const hits = place(view.state, threads).filter((p) => p.from !== null && p.from <= pos && pos <= p.to! && !p.thread.resolved);
        hits.sort((a, b) => a.to! - a.from! - (b.to! - b.from!));
        if (hits[0]) setActive(view, hits[0].thread.id, true);
        return false;
      },
    },
    view(view) {
      return threadsView(view, mount, options);
    },
  });
}

/** The open threads' anchors in the text (for going from one thread to the next, navigation.ts). */
export function openThreadAnchors(state: EditorState): { id: number; from: number; to: number; owner: string }[] {
  return place(state, key.getState(state)?.threads ?? [])
    .filter((p): p is Placed & { from: number; to: number } => p.from !== null && p.to !== null && !p.thread.resolved)
    .map((p) => ({ id: p.thread.id, from: p.from, to: p.to, owner: p.thread.owner }));
}

/** Each editor's "Comment on the selection", so that its key (shortcuts.ts) does what the button does. */
const composers = new WeakMap<EditorView, () => void>();
export const commentOnSelection: Command = (_state, dispatch, view) => {
  const compose = view && composers.get(view);
  if (!compose) return false;
  if (dispatch) compose();
  return true;
};

function setActive(view: EditorView, id: number | null, scrollPanel: boolean): void {
  view.dispatch(view.state.tr.setMeta(key, { active: id }));
  if (scrollPanel && id !== null) document.getElementById(`thread-${id}`)?.scrollIntoView({ block: 'nearest' });
}

function threadsView(view: EditorView, mount: HTMLElement, options: ThreadsOptions) {
  let threads: ThreadView[] = [];
  const filters = { owner: '', status: 'open', visibility: '', mentions: false };
  const status = h('p', { class: 'proposals-status', role: 'status' });
  const newButton = h('button', { type: 'button', class: 'button button-small button-primary' }, 'Comment on the selection');
  const form = newThreadForm();
  const ownerFilter = h('select', { class: 'field', 'aria-label': 'Show threads of' });
  const statusFilter = h(
    'select',
    { class: 'field', 'aria-label': 'Show open or resolved threads' },
    h('option', { value: 'open' }, 'Open'),
    h('option', { value: 'resolved' }, 'Resolved'),
    h('option', { value: '' }, 'Open and resolved'),
  );
  const visibilityFilter = h(
    'select',
    { class: 'field', 'aria-label': 'Show public or private threads' },
    h('option', { value: '' }, 'Public and private'),
    h('option', { value: 'public' }, 'Public'),
    h('option', { value: 'private' }, 'Private'),
  );
  const mentionsFilter = h('input', { type: 'checkbox', id: 'threads-mentions' });
  const list = h('ol', { class: 'threads-list' });
  const panel = h(
    'section',
    { class: 'threads', 'aria-label': 'Comment threads' },
    options.canComment && newButton,
    form.element,
    h('div', { class: 'proposals-filters' }, ownerFilter, statusFilter, visibilityFilter, h('label', { class: 'checkbox', for: 'threads-mentions' }, mentionsFilter, ' Mentions my delegation')),
    status,
    list,
  );
  mount.append(panel);

  const say = (message: string, error = false) => {
    status.textContent = message;
    status.classList.toggle('is-error', error);
  };
  const guarded = async (work: () => Promise<ThreadView>, done?: string) => {
    try {
      upsert(await work());
      if (done) say(done);
      return true;
    } catch (error) {
      say(`Not done: ${error instanceof ApiError ? sentence(error.message) : 'connection problem'}`, true);
      return false;
    }
  };

  const upsert = (thread: ThreadView) => {
    const at = threads.findIndex((t) => t.id === thread.id);
    if (at >= 0) threads[at] = thread;
    else threads.push(thread);
    publish();
  };
  const publish = () => {
    view.dispatch(view.state.tr.setMeta(key, { threads: [...threads] }));
  };

  const jump = (placed: Placed) => {
    if (placed.from === null) return;
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, placed.from, placed.to!)).scrollIntoView());
    setActive(view, placed.thread.id, false);
    view.focus();
  };

  const commentItem = (comment: ThreadView['comments'][number]) => {
    const body = h('div', { class: 'comment-body' });
    if (comment.deleted) body.append(h('em', { class: 'muted' }, 'Comment deleted'));
    else body.append(renderCommentBody(comment.body, comment.mentions));
    const actions = h('span', { class: 'comment-actions' });
    if (comment.mine && !comment.deleted) {
      actions.append(
        h('button', { type: 'button', class: 'link-button', onclick: () => editInPlace(comment.id, comment.body, body) }, 'Edit'),
        h('button', { type: 'button', class: 'link-button', onclick: () => void (confirm('Delete your comment?') && guarded(() => api.deleteComment(comment.id), 'Deleted.')) }, 'Delete'),
      );
    }
    return h(
      'li',
      { class: 'comment' },
      h(
        'p',
        { class: 'comment-head' },
        h('strong', {}, comment.speaksFor),
        ' · ',
        comment.author,
        ' · ',
        h('time', { datetime: comment.createdAt }, new Date(comment.createdAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })),
        comment.editedAt && h('span', { class: 'muted' }, ' · edited'),
        actions,
      ),
      body,
    );
  };

  const editInPlace = (commentId: number, text: string, body: HTMLElement) => {
    const area = h('textarea', { class: 'field', rows: 3, 'aria-label': 'Edit your comment' });
    area.value = text;
    const save = h('button', { type: 'button', class: 'button button-small button-primary' }, 'Save');
    save.addEventListener('click', () => void guarded(() => api.editComment(commentId, area.value.trim()), 'Saved.'));
    body.replaceChildren(area, save);
    area.focus();
  };

  const threadItem = (placed: Placed) => {
    const { thread } = placed;
    const detached = placed.from === null;
    const replyArea = h('textarea', { class: 'field', rows: 2, 'aria-label': `Reply to the thread on “${thread.quote.slice(0, 40)}”`, placeholder: 'Reply…' });
    const replyButton = h('button', { type: 'button', class: 'button button-small' }, 'Reply');
    replyButton.addEventListener('click', async () => {
      if (!replyArea.value.trim()) return;
      if (await guarded(() => api.reply(thread.id, replyArea.value.trim()))) replyArea.value = '';
    });
    const resolve = thread.mayResolve
      ? h('button', { type: 'button', class: 'button button-small', onclick: () => void guarded(() => api.setResolved(thread.id, !thread.resolved)) }, thread.resolved ? 'Reopen' : 'Resolve')
      : null;
    const active = key.getState(view.state)?.active === thread.id;
    return h(
      'li',
      { id: `thread-${thread.id}`, class: `thread${thread.visibility === 'private' ? ' is-private' : ''}${thread.resolved ? ' is-resolved' : ''}${active ? ' is-active' : ''}` },
      h(
        'button',
        { type: 'button', class: 'thread-quote', disabled: detached, title: detached ? 'The text of this thread was deleted' : 'Go to the text', onclick: () => jump(placed) },
        h(
          'span',
          { class: 'thread-badges' },
          h(
            'span',
            { class: `badge ${thread.visibility === 'private' ? 'badge-private' : 'badge-public'}` },
            thread.visibility === 'private' ? `Private · ${thread.owner}` : `Public · ${thread.owner}`,
          ),
          detached && h('span', { class: 'badge badge-detached' }, 'Detached'),
          thread.resolved && h('span', { class: 'badge', title: thread.resolvedBy ? `Resolved by ${thread.resolvedBy}` : '' }, 'Resolved'),
          thread.mentionsMe && h('span', { class: 'badge badge-mention' }, 'Mentions you'),
        ),
        h('q', {}, thread.quote.length > 90 ? `${thread.quote.slice(0, 89)}…` : thread.quote),
      ),
      h(
        'ol',
        { class: 'comments' },
        thread.comments.map((c) => commentItem(c)),
      ),
      options.canComment && h('div', { class: 'thread-reply' }, replyArea, h('span', { class: 'thread-actions' }, replyButton, resolve)),
      !options.canComment && resolve,
    );
  };

  /**
   * Asks the server to re-attach threads re-found after a provision was split (see anchors.ts).
   * Every page sees the same text and would ask, so each waits a random moment and asks only if
   * the anchor is still the old one; the server checks the words and tells everyone.
   */
  const reattaching = new Map<number, string>();
  const reattach = (thread: ThreadView) => {
    const tried = `${thread.anchor.start} ${thread.anchor.end}`;
    if (!options.canComment || reattaching.get(thread.id) === tried) return;
    reattaching.set(thread.id, tried);
    setTimeout(
      () => {
        const current = threads.find((t) => t.id === thread.id);
        if (closed || !current || `${current.anchor.start} ${current.anchor.end}` !== tried) return;
        const [now] = place(view.state, [current]);
        const anchor = now?.refound ? anchorOf(view.state, now.from!, now.to!) : null;
        if (anchor) api.reattachThread(current.id, { anchor }).then(upsert, () => undefined);
      },
      300 + Math.random() * 2500,
    );
  };

  let shownKey = '';
  const render = () => {
    const placed = place(view.state, threads);
    for (const p of placed) if (p.refound) reattach(p.thread);
    // document order; detached threads at the end
    placed.sort((a, b) => (a.from ?? Number.MAX_SAFE_INTEGER) - (b.from ?? Number.MAX_SAFE_INTEGER) || a.thread.id - b.thread.id);
    const owners = [...new Set(threads.map((t) => t.owner))].sort();
    const wanted = ['', ...owners].join('\u0000');
    if (ownerFilter.dataset.values !== wanted) {
      ownerFilter.replaceChildren(h('option', { value: '' }, 'All delegations'), ...owners.map((o) => h('option', { value: o }, o)));
      ownerFilter.dataset.values = wanted;
      ownerFilter.value = owners.includes(filters.owner) ? filters.owner : '';
    }
    const shown = placed.filter(
      ({ thread }) =>
        (!filters.owner || thread.owner === filters.owner) &&
        (!filters.status || (filters.status === 'resolved') === thread.resolved) &&
        (!filters.visibility || thread.visibility === filters.visibility) &&
        (!filters.mentions || thread.mentionsMe),
    );
    const signature = JSON.stringify([shown.map((p) => [p.thread, p.from === null]), key.getState(view.state)?.active]);
    options.onCount(threads.filter((t) => !t.resolved).length);
    if (signature === shownKey) return;
    // never redraw under someone typing a reply
    if (panel.contains(document.activeElement) && document.activeElement instanceof HTMLTextAreaElement && document.activeElement.value) return;
    shownKey = signature;
    list.replaceChildren(...shown.map(threadItem));
    if (shown.length === 0)
      list.append(h('li', { class: 'muted' }, threads.length ? 'No thread matches these filters.' : 'No comments yet. Select words in the text and choose “Comment on the selection”.'));
  };

  ownerFilter.addEventListener('change', () => ((filters.owner = ownerFilter.value), render()));
  statusFilter.addEventListener('change', () => ((filters.status = statusFilter.value), render()));
  visibilityFilter.addEventListener('change', () => ((filters.visibility = visibilityFilter.value), render()));
  mentionsFilter.addEventListener('change', () => ((filters.mentions = mentionsFilter.checked), render()));

  // New thread on the current selection.
  function newThreadForm() {
    const area = h('textarea', { class: 'field', rows: 3, 'aria-label': 'Your comment', placeholder: 'Your comment… (@Delegation to mention it)' });
    const visibility = h(
      'select',
      { class: 'field', 'aria-label': 'Who sees this thread' },
      h('option', { value: 'public' }, 'Public: the whole working group'),
      h('option', { value: 'private' }, `Private to ${options.speaksFor}`),
    );
    const quote = h('q', { class: 'new-thread-quote' });
    const submit = h('button', { type: 'button', class: 'button button-small button-primary' }, 'Post');
    const cancel = h('button', { type: 'button', class: 'button button-small' }, 'Cancel');
    const element = h('div', { class: 'new-thread', hidden: true }, quote, area, visibility, h('span', { class: 'thread-actions' }, submit, cancel));
    let range: { from: number; to: number } | null = null;
    cancel.addEventListener('click', () => (element.hidden = true));
    submit.addEventListener('click', async () => {
      const anchor = range && anchorOf(view.state, range.from, range.to);
      if (!range || !anchor || !area.value.trim()) return;
      const body = { visibility: visibility.value as 'public' | 'private', anchor, body: area.value.trim() };
      // The server quotes the words from its own copy of the text; words typed a moment ago may
      // still be on their way there (409), so try again shortly before giving up.
      const post = async (attempt = 0): Promise<ThreadView> => {
        try {
          return await api.openThread(options.documentId, body);
        } catch (error) {
          if (error instanceof ApiError && error.status === 409 && attempt < 3) {
            await new Promise((resolve) => setTimeout(resolve, 400 * (attempt + 1)));
            return post(attempt + 1);
          }
          throw error;
        }
      };
      submit.disabled = true;
      const ok = await guarded(() => post(), 'Posted.');
      submit.disabled = false;
      if (ok) {
        area.value = '';
        element.hidden = true;
      }
    });
    return {
      element,
      open() {
        const { from, to, empty } = view.state.selection;
        if (empty) {
          say('Select the words the comment is about first.', true);
          return;
        }
        range = { from, to };
        quote.textContent = view.state.doc.textBetween(from, to, ' ').slice(0, 140);
        element.hidden = false;
        say('');
        area.focus();
      },
    };
  }
  newButton.addEventListener('mousedown', (event) => event.preventDefault());
  newButton.addEventListener('click', () => form.open());
  if (options.canComment) {
    composers.set(view, () => {
      options.reveal?.();
      form.open();
    });
  }

  // Load, then follow the live stream. EventSource reconnects by itself; after a reconnection the
  // list is loaded again, so nothing said while the connection was down is missed.
  let closed = false;
  const seen = new Set<number>();
  const load = () =>
    api.threads(options.documentId).then(
      (result) => {
        if (closed) return;
        for (const thread of result.threads) for (const comment of thread.comments) seen.add(comment.id);
        threads = result.threads;
        publish();
      },
      (error: unknown) => say(`Could not load the comments: ${error instanceof ApiError ? error.message : 'connection problem'}`, true),
    );
  void load();
  const stream = documentStream(options.documentId);
  stream.on('reconnect', () => void load());
  stream.on('thread', (data) => {
    const thread = JSON.parse(data) as ThreadView;
    announceMention(thread);
    upsert(thread);
  });
  stream.on('end', (data) => {
    const { reason } = JSON.parse(data) as { reason: string };
    say(`Live comments stopped: ${reason}.`, true);
  });

  /** A new comment by someone else that mentions my delegation: say so, wherever the user is. */
  function announceMention(thread: ThreadView) {
    const fresh = thread.comments.filter((c) => !seen.has(c.id));
    for (const comment of thread.comments) seen.add(comment.id);
    const mention = fresh.find((c) => !c.mine && !c.deleted && c.mentions.includes(options.speaksFor));
    if (mention)
      notifyMention(`${mention.speaksFor} mentioned ${options.speaksFor}`, thread.quote, () => {
        options.reveal?.();
        if (filters.status && (filters.status === 'resolved') !== thread.resolved) statusFilter.value = filters.status = '';
        setActive(view, thread.id, false);
        render();
        document.getElementById(`thread-${thread.id}`)?.scrollIntoView({ block: 'nearest' });
      });
  }

  let frame = 0;
  return {
    update() {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), render()));
    },
    destroy() {
      closed = true;
      cancelAnimationFrame(frame);
      stream.release();
      clearMentionNotes();
      panel.remove();
    },
  };
}
