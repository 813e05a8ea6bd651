import type { Me, Membership } from '../../shared/api.ts';
import { api } from './api.ts';
import { h, replaceChildren, swatch } from './dom.ts';
import { ROLE_LABEL } from './format.ts';
import { confirmLeaving, navigate } from './router.ts';
import { clearSession, membershipIn } from './session.ts';
import { patternOf } from './delegation-style.ts';

/**
 * The frame around every page: a header with the product, the working group in view and who is
 * logged in (name, delegation, role — roles are per group, so the header follows the page's group),
 * and the main landmark the router renders into.
 */
export interface Shell {
  root: HTMLElement;
  main: HTMLElement;
  /** Shows the user (or nobody, on the login page) in the header. */
  showUser(me: Me | null): void;
  /** Names the working group the page belongs to, so the header shows the role held there. */
  showGroup(slug: string | null): void;
}

export function createShell(): Shell {
  const header = h('header', { class: 'app-header' });
  const main = h('main', { id: 'main', class: 'app-main', tabindex: '-1' });
  const skip = h('a', { class: 'skip-link', href: '#main' }, 'Skip to content');
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  const root = h('div', { class: 'app' }, skip, header, main);

  let me: Me | null = null;
  let slug: string | null = null;

  const render = () => {
    root.classList.toggle('is-public', !me);
    if (!me) {
      replaceChildren(header);
      header.hidden = true;
      return;
    }
    header.hidden = false;
    const membership = (slug && membershipIn(me, slug)) || me.memberships[0];
    replaceChildren(
      header,
      h('a', { class: 'brand', href: '/', 'aria-label': 'Concord, home' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Concord'),
      membership && h('a', { class: 'header-group', href: `/groups/${encodeURIComponent(membership.group.slug)}` }, membership.group.name),
      h('div', { class: 'header-user' }, userSummary(me, membership), logoutButton()),
    );
  };

  return {
    root,
    main,
    showUser(next) {
      me = next;
      render();
    },
    showGroup(next) {
      slug = next;
      render();
    },
  };
}

function userSummary(me: Me, membership: Membership | undefined): HTMLElement {
  const parts: (Node | string)[] = [h('span', { class: 'visually-hidden' }, 'Logged in as '), h('span', { class: 'user-name' }, me.user.displayName)];
  if (membership?.delegation) {
    parts.push(h('span', { class: 'user-delegation' }, swatch(membership.delegation.color, undefined, patternOf(membership.delegation.name)), membership.delegation.name));
  }
  if (membership) parts.push(h('span', { class: `role-badge role-${membership.role}` }, ROLE_LABEL[membership.role]));
  return h('div', { class: 'user-summary' }, ...parts);
}

function logoutButton(): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button button-quiet' }, 'Log out');
  button.addEventListener('click', async () => {
    if (!confirmLeaving()) return;
    button.disabled = true;
    try {
      await api.logout();
    } catch {
      // Even if the server is unreachable, leave: the session cookie expires on its own.
    }
    clearSession();
    navigate('/login');
  });
  return button;
}
