import type { Me } from '../../shared/api.ts';
import { ApiError } from './api.ts';
import { clearSession, loadSession } from './session.ts';

/**
 * Path-based routing for the single-page app. Each route renders into the outlet and may return a
 * cleanup function (the editor closes its WebSocket, the group page stops its refresh timer); the
 * router runs it before the next page renders, so nothing from an old page keeps running.
 */
export type Cleanup = () => void;

export interface PageContext {
  /** The logged-in user; null only on public routes. */
  me: Me | null;
  /** Named segments of the path (`:slug`, `:id`). */
  params: Record<string, string>;
  /** Query parameters of the current URL. */
  query: URLSearchParams;
  /** Where the page renders. */
  outlet: HTMLElement;
  /** Aborted when the user navigates away before the page finished loading. */
  signal: AbortSignal;
}

export interface Route {
  /** `/groups/:slug`-style pattern. */
  path: string;
  /** Reachable without a session (the login page). */
  public?: boolean;
  render(context: PageContext): Promise<Cleanup | void> | Cleanup | void;
}

export interface RouterOptions {
  routes: Route[];
  outlet: HTMLElement;
  /** Renders when no route matches, or a page failed to load. */
  problem(outlet: HTMLElement, message: string): void;
  /** Called after each navigation with the user (or null), so the header can follow. */
  onNavigate(me: Me | null, path: string): void;
}

let options: RouterOptions | null = null;
let cleanup: Cleanup | null = null;
let loading: AbortController | null = null;
let leaveGuard: (() => string | null) | null = null;
/** The URL last rendered, to go back to when leaving is refused after Back/Forward. */
let shownUrl = '';

/** Starts routing: renders the current URL and takes over same-origin link clicks and Back/Forward. */
export function startRouter(given: RouterOptions): void {
  options = given;
  window.addEventListener('popstate', () => {
    if (confirmLeaving()) void render();
    else history.pushState(null, '', shownUrl);
  });
  document.addEventListener('click', interceptLink);
  void render();
}

/**
 * Lets the current page object to being left: the guard returns a question to ask ("edits not sent
 * yet…") or null. The page's cleanup removes it. Returns the function that removes it.
 */
export function guardLeaving(guard: () => string | null): () => void {
  leaveGuard = guard;
  return () => {
    if (leaveGuard === guard) leaveGuard = null;
  };
}

/** Asks the current page's guard, and the user if needed; true when leaving may go ahead. */
export function confirmLeaving(): boolean {
  const question = leaveGuard?.();
  if (question && !window.confirm(question)) return false;
  leaveGuard = null;
  return true;
}

/** Goes to a path of the app; `replace` keeps the current entry out of the history. */
export function navigate(path: string, { replace = false } = {}): void {
  if (!confirmLeaving()) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

/** The login URL that brings the user back to `path` afterwards. */
export function loginPath(path = location.pathname + location.search): string {
  return path === '/' || path.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}

/** Only same-app paths are accepted as a return address (no `//evil.example`). */
export function safeReturnPath(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

function interceptLink(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.('a');
  if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
  if (link.pathname.startsWith('/api/')) return;
  event.preventDefault();
  if (link.pathname + link.search !== location.pathname + location.search) navigate(link.pathname + link.search);
}

function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) {
      if (!have[i]) return null;
      params[want[i]!.slice(1)] = decodeURIComponent(have[i]!);
    } else if (want[i] !== have[i]) {
      return null;
    }
  }
  return params;
}

async function render(): Promise<void> {
  if (!options) return;
  const { routes, outlet, problem, onNavigate } = options;
  loading?.abort();
  const controller = new AbortController();
  loading = controller;
  cleanup?.();
  cleanup = null;
  leaveGuard = null;
  shownUrl = location.pathname + location.search;

  const path = location.pathname.replace(/\/+$/, '') || '/';
  let route: Route | undefined;
  let params: Record<string, string> = {};
  for (const candidate of routes) {
    const found = match(candidate.path, path);
    if (found) {
      route = candidate;
      params = found;
      break;
    }
  }

  try {
    const me = await loadSession();
    if (controller.signal.aborted) return;
    if (!route) {
      onNavigate(me, path);
      problem(outlet, `There is no page at ${path}.`);
      return;
    }
    if (!route.public && !me) {
      navigate(loginPath(), { replace: true });
      return;
    }
    onNavigate(me, path);
    outlet.replaceChildren();
    const done = await route.render({ me, params, query: new URLSearchParams(location.search), outlet, signal: controller.signal });
    if (controller.signal.aborted) done?.();
    else cleanup = done ?? null;
  } catch (error) {
    if (controller.signal.aborted) return;
    if (error instanceof ApiError && error.status === 401) {
      clearSession();
      navigate(loginPath(), { replace: true });
      return;
    }
    problem(outlet, error instanceof Error ? error.message : String(error));
  }
}
