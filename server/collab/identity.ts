import type { Role } from '../../shared/roles.ts';
import { OFFICER_COLOR } from '../../shared/colors.ts';
import type { Membership, User } from '../storage/accounts.ts';

/**
 * Who is behind a connection, as the server knows it from the session. This — never what the
 * client claims — is what other participants see in awareness (cursor labels, presence list).
 */
export interface Participant {
  userId: number;
  username: string;
  /** The person's name. */
  person: string;
  role: Role;
  /** The delegation the person speaks for; null for the chair, secretariat and observers. */
  delegation: string | null;
  /** The label shown on cursors and in the presence list: the delegation, or the role. */
  name: string;
  color: string;
}

const ROLE_LABEL: Record<Role, string> = {
  chair: 'Chair',
  secretariat: 'Secretariat',
  delegate: 'Delegate',
  observer: 'Observer',
};

export function participant(user: User, membership: Membership): Participant {
  const delegation = membership.delegation;
  return {
    userId: user.id,
    username: user.username,
    person: user.displayName,
    role: membership.role,
    delegation: delegation?.name ?? null,
    name: delegation && membership.role === 'delegate' ? delegation.name : ROLE_LABEL[membership.role],
    color: delegation?.color ?? OFFICER_COLOR,
  };
}

/** The `user` field of an awareness state, in the shape y-prosemirror's cursor plugin reads. */
export function awarenessUser(who: Participant): Record<string, unknown> {
  return { name: who.name, person: who.person, delegation: who.delegation, role: who.role, color: who.color };
}
