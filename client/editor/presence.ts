import type { Awareness } from 'y-protocols/awareness';
import { h, replaceChildren, swatch } from '../app/dom.ts';
import { ROLE_LABEL } from '../app/format.ts';
import type { Participant } from '../app/participant.ts';
import { asParticipant, byRoleThenName } from '../app/participant.ts';
import { patternOf } from '../app/delegation-style.ts';

/**
 * The "Present" panel: everyone connected to the document, from awareness, updated live. Each
 * entry shows the delegation (or role), the person, the role and the colour used for their caret;
 * our own entry is marked "you". The same person in two tabs is listed once.
 */
export function presencePanel(awareness: Awareness): { element: HTMLElement; showConnected(connected: boolean): void; destroy(): void } {
  const count = h('span', { class: 'presence-count' });
  const list = h('ul', { class: 'presence-list', 'aria-labelledby': 'presence-title' });
  // While disconnected the provider forgets the others, so say why the list is short.
  const away = h('p', { class: 'presence-away', hidden: true }, 'Not connected: the others will show again when the connection returns.');
  const element = h('section', { class: 'side-panel presence', 'aria-labelledby': 'presence-title' },
    h('h2', { id: 'presence-title' }, 'Present ', count),
    list,
    away,
  );

  let shown = '';
  const render = () => {
    const people = new Map<string, Participant & { you: boolean }>();
    for (const [clientId, state] of awareness.getStates()) {
      const who = asParticipant(state.user);
      if (!who) continue;
      const key = `${who.role}\u0000${who.name}\u0000${who.person}`;
      const you = clientId === awareness.clientID || people.get(key)?.you === true;
      people.set(key, { ...who, you });
    }
    const sorted = [...people.values()].sort((a, b) => Number(b.you) - Number(a.you) || byRoleThenName(a, b));
    const signature = JSON.stringify(sorted);
    if (signature === shown) return;
    shown = signature;
    count.textContent = `(${sorted.length})`;
    replaceChildren(list, ...sorted.map(entry));
  };
  awareness.on('change', render);
  render();
  return {
    element,
    showConnected: (connected) => (away.hidden = connected),
    destroy: () => awareness.off('change', render),
  };
}

function entry(p: Participant & { you: boolean }): HTMLElement {
  const role = p.role === 'delegate' ? ROLE_LABEL[p.role] : '';
  return h('li', { class: `presence-entry${p.you ? ' is-you' : ''}` },
    swatch(p.color, undefined, patternOf(p.delegation)),
    h('span', { class: 'presence-text' },
      h('span', { class: 'presence-name' }, p.name, p.you && h('span', { class: 'you-marker' }, 'you')),
      h('span', { class: 'presence-person' }, [p.person !== p.name ? p.person : '', role].filter(Boolean).join(' · ')),
    ),
  );
}
