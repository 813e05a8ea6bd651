import { h, swatch } from '../app/dom.ts';
import { ROLE_LABEL } from '../app/format.ts';
import type { PageContext } from '../app/router.ts';
import { navigate } from '../app/router.ts';

/**
 * `/`: most people belong to one working group and go straight to it; the few who sit in several
 * choose here.
 */
export function homePage({ me, outlet }: PageContext): void {
  if (!me) return;
  if (me.memberships.length === 1) {
    navigate(`/groups/${encodeURIComponent(me.memberships[0]!.group.slug)}`, { replace: true });
    return;
  }
  document.title = 'Working groups — Concord';
  if (me.memberships.length === 0) {
    outlet.append(
      h(
        'div',
        { class: 'page' },
        h('h1', {}, 'No working group yet'),
        h('p', { class: 'empty-state' }, 'Your account is not a member of any working group. Ask the secretariat of your group to add you; then reload this page.'),
      ),
    );
    return;
  }
  outlet.append(
    h(
      'div',
      { class: 'page' },
      h('h1', {}, 'Your working groups'),
      h(
        'ul',
        { class: 'group-list' },
        me.memberships.map((m) =>
          h(
            'li',
            {},
            h(
              'a',
              { class: 'group-card', href: `/groups/${encodeURIComponent(m.group.slug)}` },
              h('span', { class: 'group-card-name' }, m.group.name),
              h('span', { class: 'group-card-role' }, m.delegation && swatch(m.delegation.color), m.delegation ? `${m.delegation.name} · ` : '', ROLE_LABEL[m.role]),
            ),
          ),
        ),
      ),
    ),
  );
}
