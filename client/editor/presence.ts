import type { Awareness } from 'y-protocols/awareness';
import { h, replaceChildren, swatch, textColorOn } from '../app/dom.ts';
import { ROLE_LABEL } from '../app/format.ts';
import type { Participant } from '../app/participant.ts';
import { asParticipant, byRoleThenName, describeParticipant } from '../app/participant.ts';
import { patternOf } from '../app/delegation-style.ts';

/**
 * The "Present" panel: everyone connected to the document, from awareness, updated live. Each
 * entry shows the delegation (or role), the person, the role and the colour used for their caret;
 * our own entry is marked "you". The same person in two tabs is listed once.
 *
 * In a full room the list would push the chair's Proposals off the screen, so beyond a few people
 * it folds into one line — "11 present" and a face per participant (colour and initials, the name
 * on hover) — and a disclosure button opens the full list, which scrolls within the panel.
 */
const FOLDED_ABOVE = 4;
/** Two rows of faces in the side column; the rest are counted ("+5"). */
const MAX_FACES = 20;
const OPEN_KEY = 'concord.presence.open';

type Present = Participant & { you: boolean };

export function presencePanel(awareness: Awareness): { element: HTMLElement; showConnected(connected: boolean): void; destroy(): void } {
  const toggle = h('button', { type: 'button', class: 'presence-toggle', 'aria-expanded': 'false', 'aria-controls': 'presence-list' });
  const faces = h('div', { class: 'presence-faces', 'aria-hidden': 'true' });
  // Focusable, so that a keyboard can scroll the open list in a full room.
  const list = h('ul', { class: 'presence-list', id: 'presence-list', 'aria-labelledby': 'presence-title', tabindex: '0' });
  // While disconnected the provider forgets the others, so say why the list is short.
  const away = h('p', { class: 'presence-away', hidden: true }, 'Not connected: the others will show again when the connection returns.');
  const element = h('section', { class: 'side-panel presence', 'aria-labelledby': 'presence-title' }, h('h2', { id: 'presence-title' }, toggle), faces, list, away);

  // The reader's own choice wins over the automatic folding, for this browser tab.
  let chosen = sessionStorage.getItem(OPEN_KEY);
  let people: Present[] = [];
  const fold = () => {
    const open = chosen === null ? people.length <= FOLDED_ABOVE : chosen === '1';
    toggle.setAttribute('aria-expanded', String(open));
    list.hidden = !open;
    faces.hidden = open;
  };
  toggle.addEventListener('click', () => {
    chosen = toggle.getAttribute('aria-expanded') === 'true' ? '0' : '1';
    sessionStorage.setItem(OPEN_KEY, chosen);
    fold();
  });

  let shown = '';
  const render = () => {
    const byPerson = new Map<string, Present>();
    for (const [clientId, state] of awareness.getStates()) {
      const who = asParticipant(state.user);
      if (!who) continue;
      const key = `${who.role}\u0000${who.name}\u0000${who.person}`;
      const you = clientId === awareness.clientID || byPerson.get(key)?.you === true;
      byPerson.set(key, { ...who, you });
    }
    const sorted = [...byPerson.values()].sort((a, b) => Number(b.you) - Number(a.you) || byRoleThenName(a, b));
    const signature = JSON.stringify(sorted);
    if (signature === shown) return;
    shown = signature;
    people = sorted;
    toggle.textContent = `${sorted.length} present`;
    replaceChildren(list, ...sorted.map(entry));
    const hiddenCount = sorted.length - MAX_FACES;
    replaceChildren(faces, ...sorted.slice(0, hiddenCount > 0 ? MAX_FACES - 1 : MAX_FACES).map(face), hiddenCount > 0 && h('span', { class: 'presence-face presence-more' }, `+${hiddenCount + 1}`));
    fold();
  };
  awareness.on('change', render);
  render();
  return {
    element,
    showConnected: (connected) => (away.hidden = connected),
    destroy: () => awareness.off('change', render),
  };
}

function entry(p: Present): HTMLElement {
  const role = p.role === 'delegate' ? ROLE_LABEL[p.role] : '';
  const about = [p.person !== p.name ? p.person : '', role].filter(Boolean).join(' · ');
  return h(
    'li',
    { class: `presence-entry${p.you ? ' is-you' : ''}`, title: describeParticipant(p) },
    swatch(p.color, undefined, patternOf(p.delegation)),
    h('span', { class: 'presence-name' }, p.name, p.you && h('span', { class: 'you-marker' }, 'you')),
    about && h('span', { class: 'presence-person' }, about),
  );
}

/** A participant in the folded panel: a disc of their colour with the name's initials on it. */
function face(p: Present): HTMLElement {
  const pattern = patternOf(p.delegation);
  const element = h(
    'span',
    { class: `presence-face pattern-${pattern}${p.role === 'delegate' ? '' : ' is-officer'}`, title: `${p.name}${p.you ? ' (you)' : ''}: ${describeParticipant(p)}` },
    initials(p.name),
  );
  // Past the 12th delegation colours repeat: those faces are rings, drawn like their carets.
  if (pattern === 'solid') {
    element.style.backgroundColor = p.color;
    element.style.color = textColorOn(p.color);
  } else {
    element.style.borderColor = p.color;
  }
  return element;
}

/** "Saudi Arabia" → "SA", "CEPT" → "CE", "Brazil" → "Br". */
function initials(name: string): string {
  const words = name.split(/[\s-]+/).filter((w) => /\p{L}/u.test(w));
  if (words.length > 1)
    return words
      .slice(0, 2)
      .map((w) => [...w][0]!.toUpperCase())
      .join('');
  const letters = [...(words[0] ?? name)];
  return letters.slice(0, 2).join('');
}
