import type { DocumentDetail } from '../../shared/api.ts';
import { OFFICER_COLOR } from '../../shared/colors.ts';
import { api, ApiError } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { ROLE_LABEL, STATUS_LABEL, TYPE_LABEL } from '../app/format.ts';
import { participantFor } from '../app/participant.ts';
import type { Participant } from '../app/participant.ts';
import type { Cleanup, PageContext } from '../app/router.ts';
import { guardLeaving } from '../app/router.ts';
import { membershipIn } from '../app/session.ts';
import { connectDocument } from '../editor/collab.ts';
import { connectionBadge, connectionBanner } from '../editor/connection-badge.ts';
import { ConnectionMonitor } from '../editor/connection-status.ts';
import { onTakenBack, takenBackMessage } from '../editor/taken-back.ts';
import { createEditor } from '../editor/editor.ts';
import { presencePanel } from '../editor/presence.ts';
import { guardSchema } from '../editor/schema-guard.ts';
import { schema } from '../../shared/schema/index.ts';
import { CLOSE } from '../../shared/protocol.ts';
import { CHAIR } from '../../shared/brackets/model.ts';
import type { DecisionBody } from '../../shared/api.ts';
import type { EditorView } from 'prosemirror-view';
import { sentence } from '../app/format.ts';
import { tabs } from '../app/tabs.ts';
import { bracketColor, bracketsPlugin } from '../editor/brackets.ts';
import { bracketTools } from '../editor/bracket-tools.ts';
import { knowDelegations } from '../app/delegation-style.ts';
import { proposalsPlugin } from '../editor/proposals-panel.ts';
import { decisionsPanel } from '../editor/decisions-panel.ts';
import { commentOnSelection, threadsPlugin } from '../threads/threads-panel.ts';
import { exportMenu } from './export-menu.ts';
import { versionsPanel } from './versions-panel.ts';
import { documentStream } from './document-stream.ts';
import { keymap } from 'prosemirror-keymap';
import { noticeArea } from '../editor/notice-area.ts';
import { heldSelectionPlugin } from '../editor/held-selection.ts';
import { navigationKeymap } from '../editor/navigation.ts';
import { footnoteTools } from '../editor/footnotes.ts';
import { agreedLabelsPlugin } from '../editor/agreed-labels.ts';
import { bindingsFor } from '../editor/shortcuts.ts';
import { shortcutsHelp } from '../editor/shortcuts-help.ts';
import { followPlugin } from '../editor/follow.ts';
import { roomView } from './chair-screen.ts';

/**
 * `/documents/:id`: the live text. Symbol, title and status on top with the connection state; the
 * editor on an ITU-styled page; the Present panel beside it. Observers get the same live text,
 * read-only, with a notice saying so.
 */
export async function documentPage({ me, params, query, outlet, signal }: PageContext, showGroup: (slug: string) => void): Promise<Cleanup | void> {
  const detail = await api.document(params.id!);
  if (signal.aborted || !me) return;
  showGroup(detail.group.slug);
  document.title = `${detail.symbol} — Concord`;
  const group = await api.group(detail.group.slug).catch(() => null);
  if (signal.aborted) return;

  const membership = membershipIn(me, detail.group.slug);
  const self: Participant = membership
    ? participantFor(me, membership)
    : { name: ROLE_LABEL[detail.access.role], person: me.user.displayName, delegation: null, role: detail.access.role, color: OFFICER_COLOR };
  const canEdit = detail.access.canEdit;
  const role = detail.access.role;
  const isChair = role === 'chair';

  // Brackets: whose they are (the chair's are the Chair's; the secretariat chooses a delegation).
  const colors = new Map((group?.delegations ?? []).map((d) => [d.name, d.color]));
  knowDelegations(group?.delegations ?? []);
  const colorOf = bracketColor(colors);
  // The secretariat brackets for no one until it has chosen the delegation (bracket-tools.ts).
  let bracketAs = isChair ? CHAIR : (self.delegation ?? '');
  const onBehalfOf = role === 'secretariat' ? (group?.delegations ?? []).map((d) => d.name) : [];

  const badge = connectionBadge();
  const banner = connectionBanner();
  const presenceSlot = h('div', { class: 'side-slot' });
  const toolbarMount = h('div', { class: 'toolbar-slot' });
  const proposalMount = h('div', { class: 'side-slot' });
  const outlineMount = h('div', { class: 'side-slot side-slot-outline' });
  const proposalsMount = h('div', { class: 'side-slot' });
  const threadsMount = h('div', { class: 'side-slot' });
  const paper = h('div', { class: 'paper is-loading', 'aria-busy': 'true' });
  const loadingNote = h('p', { class: 'paper-loading' }, 'Loading the text…');
  paper.append(loadingNote);
  // What was not done or not kept, at the foot of the window wherever the delegate is in the text.
  const notices = noticeArea(() => session?.view.focus());

  let session: Session | null = null;
  const decisions = decisionsPanel(detail.id, () => session?.view ?? null, isChair);
  const versions = versionsPanel(detail.id, isChair || role === 'secretariat');
  const sideTabs = tabs('document side', [
    { id: 'proposals', label: 'Proposals', panel: proposalsMount },
    { id: 'comments', label: 'Comments', panel: threadsMount },
    {
      id: 'history',
      label: 'History',
      panel: h('div', { class: 'history' }, h('h3', { class: 'history-title' }, 'Versions'), versions.element, h('h3', { class: 'history-title' }, 'Decisions'), decisions.element),
      onShow: () => void Promise.all([versions.refresh(), decisions.refresh()]),
    },
  ]);

  // The History tab follows the chair's decisions and the versions taken, for everyone, live; a
  // hidden tab is refreshed when shown.
  const live = documentStream(detail.id);
  const shown = (element: HTMLElement) => element.offsetParent !== null;
  live.on('decision', () => void (shown(decisions.element) && decisions.refresh()));
  live.on('version', () => void (shown(versions.element) && versions.refresh()));
  live.on('reconnect', () => void (shown(decisions.element) && Promise.all([versions.refresh(), decisions.refresh()])));

  const room = roomView({ isChair, screen: query.get('screen') === '1' });
  const help = shortcutsHelp({ canEdit });
  outlet.append(
    h(
      'div',
      { class: 'page page-document' },
      documentHeader(detail, badge.element, [room.controls, help.button]),
      h(
        'div',
        { class: 'document-layout' },
        h('aside', { class: 'document-outline', 'aria-label': 'Outline and your part' }, outlineMount, aboutPanel(detail, self)),
        h(
          'div',
          { class: 'document-main' },
          !canEdit && h('p', { class: 'notice notice-readonly', role: 'note' }, h('strong', {}, 'Read-only: '), 'observers follow the text as it is negotiated; you cannot change it.'),
          // The toolbar and, while not connected, the banner saying so stay at the top of the window.
          h('div', { class: 'document-sticky' }, canEdit && toolbarMount, banner.element),
          paper,
        ),
        h('aside', { class: 'document-side', 'aria-label': 'Participants and document' }, presenceSlot, proposalMount, sideTabs.element),
      ),
      room.overlay,
      notices.element,
    ),
  );

  const tell = (message: string) => notices.show('refused', message);
  const showTakenBack = (message: string) => notices.show('taken-back', message);

  const decide = async (body: DecisionBody): Promise<string | null> => {
    try {
      await api.decide(detail.id, body);
      void decisions.refresh();
      return null;
    } catch (error) {
      return error instanceof ApiError ? sentence(error.message) : 'the server could not be reached';
    }
  };

  /**
   * One live session on the document: its Y.Doc, provider, editor and panels. When the server
   * refuses one of our updates, this copy of the document cannot go on (later updates depend on the
   * refused one): the session is thrown away and a fresh one loads the text from the server.
   */
  const startSession = (): Session => {
    const collaboration = connectDocument(detail.id, self);
    const monitor = new ConnectionMonitor(collaboration.provider, collaboration.doc);
    onTakenBack(collaboration.provider, (notice) => showTakenBack(takenBackMessage(notice, view.state.doc)));
    // Our own next edit (anything not from the server) makes the note old news.
    const onLocalUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== collaboration.provider) notices.hide();
    };
    collaboration.doc.on('update', onLocalUpdate);
    const presence = presencePanel(collaboration.provider.awareness);
    presenceSlot.replaceChildren(presence.element);
    paper.classList.add('is-loading');
    paper.setAttribute('aria-busy', 'true');
    if (!loadingNote.isConnected) paper.prepend(loadingNote);

    // Registered before the editor exists, so it sees the first sync before y-prosemirror does.
    let unbound = false;
    const stopGuard = guardSchema(collaboration.doc, collaboration.fragment, schema, (names) => {
      // Unbind before y-prosemirror would delete what it cannot show, and touch nothing more.
      unbound = true;
      view.destroy();
      collaboration.provider.disconnect();
      paper.classList.remove('is-loading');
      paper.replaceChildren(
        h(
          'div',
          { class: 'notice notice-warning', role: 'alert' },
          h('strong', {}, 'This page cannot show the current text safely. '),
          `The document now contains ${names.join(', ')}, which this version of the editor does not know. `,
          'Nothing was changed. Reload the page to get the current version of Concord.',
        ),
      );
    });

    const tools = bracketTools({ onBehalfOf, bracketAs: () => bracketAs, setBracketAs: (d) => (bracketAs = d), refuse: tell });
    const footnotes = footnoteTools();
    const mayType = () => canEdit && monitor.everSynced && monitor.state.kind !== 'stopped';
    const view = createEditor({
      mount: paper,
      toolbarMount: canEdit ? toolbarMount : undefined,
      proposalMount: detail.type === 'council-document' ? undefined : proposalMount,
      proposalOptions: { isChair, setStatus: (provisionId, status) => decide({ action: 'status', provisionId, status }) },
      outlineMount,
      fragment: collaboration.fragment,
      awareness: collaboration.provider.awareness,
      label: `Text of ${detail.symbol}`,
      // Typing only once the server's text is here, so nobody starts writing into an empty page; and
      // not after the server closed the connection for good, since nothing typed then could be sent.
      editable: mayType,
      plugins: [
        bracketsPlugin({ actor: { role, delegation: self.delegation }, bracketAs: () => bracketAs, colorOf, refuse: (message) => tell(message) }),
        proposalsPlugin(proposalsMount, { isChair, colorOf, decide }),
        threadsPlugin(threadsMount, {
          documentId: detail.id,
          speaksFor: self.delegation ?? (isChair ? 'the Chair' : role === 'secretariat' ? 'the Secretariat' : 'you'),
          canComment: role !== 'observer',
          onCount: (open) => sideTabs.setLabel('comments', open ? `Comments ${open}` : 'Comments'),
          reveal: () => sideTabs.show('comments'),
        }),
        followPlugin({ awareness: collaboration.provider.awareness, isChair, onPlace: room.onPlace }),
        ...(canEdit ? [heldSelectionPlugin(), tools.keymap, footnotes.keymap, footnotes.plugin, keymap(bindingsFor({ comment: commentOnSelection }))] : []),
        navigationKeymap(),
        agreedLabelsPlugin({
          isChair,
          canEdit,
          decisions: async () => (await api.decisions(detail.id)).decisions,
          reopen: (provisionId) => decide({ action: 'status', provisionId, status: 'open' }),
          refuse: tell,
        }),
      ],
      toolbarExtras: canEdit ? [tools.toolGroup, footnotes.toolGroup] : [],
    });

    const unsubscribe = monitor.subscribe((state) => {
      badge.show(state);
      banner.show(state);
      presence.showConnected(state.kind === 'connected' || state.kind === 'connecting');
      if (monitor.everSynced && paper.classList.contains('is-loading')) {
        paper.classList.remove('is-loading');
        paper.removeAttribute('aria-busy');
        loadingNote.remove();
      }
      if (!unbound && view.editable !== mayType()) view.setProps({}); // re-evaluates `editable`
    });

    const sessionWatch = watchSession(collaboration.provider);
    // With the connection banner at the top of the window, seen wherever the delegate is.
    banner.element.before(sessionWatch.note);

    const onClosed = (event: { code: number; reason: string }) => {
      if (event.code !== CLOSE.refused) return;
      tell(`the server refused your last change (${event.reason || 'a rule of the working group'}). The text was reloaded from the server; your changes after that point were not kept.`);
      queueMicrotask(() => {
        session?.destroy();
        session = startSession();
      });
    };
    collaboration.provider.on('closed', onClosed);

    return {
      view,
      monitor,
      destroy() {
        collaboration.provider.off('closed', onClosed);
        collaboration.doc.off('update', onLocalUpdate);
        notices.hide('taken-back');
        tools.destroy();
        footnotes.destroy();
        sessionWatch.stop();
        sessionWatch.note.remove();
        unsubscribe();
        stopGuard();
        presence.destroy();
        monitor.destroy();
        if (!unbound) view.destroy();
        collaboration.destroy();
      },
    };
  };
  session = startSession();

  // Unsent edits live only in this page's memory until the connection returns: warn before leaving it.
  const guardUnload = (event: BeforeUnloadEvent) => {
    if (session?.monitor.state.unsent) event.preventDefault();
  };
  window.addEventListener('beforeunload', guardUnload);
  const unguard = guardLeaving(() => (session?.monitor.state.unsent ? 'Your latest edits have not reached the server yet and would be lost if you leave this page. Leave anyway?' : null));

  return () => {
    unguard();
    window.removeEventListener('beforeunload', guardUnload);
    notices.destroy();
    live.release();
    session?.destroy();
    session = null;
    room.destroy();
    help.destroy();
    banner.destroy();
  };
}

interface Session {
  view: EditorView;
  monitor: ConnectionMonitor;
  destroy(): void;
}

function documentHeader(d: DocumentDetail, badge: HTMLElement, tools: HTMLElement[]): HTMLElement {
  return h(
    'div',
    { class: 'document-header' },
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: `/groups/${encodeURIComponent(d.group.slug)}` }, d.group.name),
      h('span', { class: 'breadcrumb-sep', 'aria-hidden': 'true' }, '/'),
      h('span', { 'aria-current': 'page' }, d.symbol),
    ),
    h(
      'div',
      { class: 'document-heading' },
      h(
        'div',
        { class: 'document-heading-text' },
        h(
          'p',
          { class: 'document-meta' },
          h('span', { class: 'document-symbol' }, d.symbol),
          h('span', { class: 'document-type' }, TYPE_LABEL[d.type] ?? d.type),
          h('span', { class: `status status-${d.status}` }, STATUS_LABEL[d.status] ?? d.status),
        ),
        h('h1', { class: 'document-title' }, d.title),
      ),
      h(
        'div',
        { class: 'document-actions' },
        tools,
        d.compiled && h('a', { class: 'button button-small', href: `/documents/${encodeURIComponent(d.id)}/compilation` }, 'Compilation table'),
        exportMenu(d.id),
        badge,
      ),
    ),
  );
}

function aboutPanel(d: DocumentDetail, self: Participant): HTMLElement {
  const role = ROLE_LABEL[d.access.role];
  const as = d.access.role === 'delegate' && self.delegation ? `${role} of ${self.delegation}` : role;
  const youCan = !d.access.canEdit
    ? 'You see every change as it is made, with the name of the delegation making it.'
    : `Your changes appear to everyone as you type, marked “${self.name}” in your colour. Undo takes back only your own edits.`;
  return h(
    'section',
    { class: 'side-panel about', 'aria-labelledby': 'about-title' },
    h('h2', { id: 'about-title' }, 'Your part'),
    h('p', {}, 'You are here as ', h('strong', {}, as), '.'),
    h('p', { class: 'muted' }, youCan),
  );
}

/**
 * When the socket keeps failing, ask the API whether the session is still valid. If it ended, say so
 * and offer a login in a new tab: this tab keeps the unsent edits and sends them once the new
 * session cookie lets the provider back in.
 */
function watchSession(provider: ReturnType<typeof connectDocument>['provider']): { note: HTMLElement; stop(): void } {
  let lastCheck = 0;
  const note = h(
    'p',
    { class: 'notice notice-warning', role: 'alert', hidden: true },
    h('strong', {}, 'Your session has ended. '),
    h('a', { href: '/login', target: '_blank', rel: 'noopener' }, 'Log in again in a new tab'),
    '; your edits here are kept and will be sent once you are back.',
  );
  const onClose = () => {
    if (!navigator.onLine || provider.wsUnsuccessfulReconnects < 3 || Date.now() - lastCheck < 15_000) return;
    lastCheck = Date.now();
    api.me().then(
      () => (note.hidden = true),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) note.hidden = false;
      },
    );
  };
  const onSync = (synced: boolean) => {
    if (synced) note.hidden = true;
  };
  provider.on('connection-close', onClose);
  provider.on('sync', onSync);
  return {
    note,
    stop() {
      provider.off('connection-close', onClose);
      provider.off('sync', onSync);
    },
  };
}
