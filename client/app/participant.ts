import type { Me, Membership, PresentParticipant } from '../../shared/api.ts';
import { OFFICER_COLOR } from '../../shared/colors.ts';
import { h, safeColor, swatch } from './dom.ts';
import { ROLE_LABEL } from './format.ts';
import { patternOf } from './delegation-style.ts';

/**
 * A person taking part in a document: the identity the server stamps on each awareness state
 * (`user` field) and lists as "present". Cursors, chips and the Present panel all show this.
 */
export type Participant = PresentParticipant;

/**
 * Our own identity, computed the way the server computes it (server/collab/identity.ts), so that
 * what we show for ourselves matches what everybody else sees for us.
 */
export function participantFor(me: Me, membership: Membership): Participant {
  const delegation = membership.delegation;
  return {
    name: delegation && membership.role === 'delegate' ? delegation.name : ROLE_LABEL[membership.role],
    person: me.user.displayName,
    delegation: delegation?.name ?? null,
    role: membership.role,
    color: delegation?.color ?? OFFICER_COLOR,
  };
}

/** Reads a participant from an untrusted awareness `user` field; null when it is not one. */
export function asParticipant(value: unknown): Participant | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || typeof v.color !== 'string') return null;
  return {
    name: v.name,
    person: typeof v.person === 'string' ? v.person : '',
    delegation: typeof v.delegation === 'string' ? v.delegation : null,
    role: v.role === 'chair' || v.role === 'secretariat' || v.role === 'delegate' || v.role === 'observer' ? v.role : 'observer',
    color: safeColor(v.color),
  };
}

/** "Ana Souza, Delegate of Brazil": how a participant is described in tooltips and to screen readers. */
export function describeParticipant(p: Participant): string {
  const role = ROLE_LABEL[p.role];
  const as = p.role === 'delegate' && p.delegation ? `${role} of ${p.delegation}` : role;
  return p.person ? `${p.person}, ${as}` : as;
}

/** A compact name chip with the participant's colour; the name is always written out. */
export function participantChip(p: Participant): HTMLElement {
  return h('span', { class: 'chip', title: describeParticipant(p) }, swatch(p.color, undefined, patternOf(p.delegation)), h('span', { class: 'chip-name' }, p.name));
}

/** The same person connected twice (two tabs) is listed once. */
export function distinctParticipants(list: Participant[]): Participant[] {
  const seen = new Map<string, Participant>();
  for (const p of list) seen.set(`${p.role}\u0000${p.name}\u0000${p.person}`, p);
  return [...seen.values()].sort(byRoleThenName);
}

const ROLE_ORDER = { chair: 0, secretariat: 1, delegate: 2, observer: 3 } as const;
export function byRoleThenName(a: Participant, b: Participant): number {
  return ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name) || a.person.localeCompare(b.person);
}
