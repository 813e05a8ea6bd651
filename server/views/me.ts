import type { Stores } from '../services.ts';
import type { User } from '../storage/accounts.ts';
import type { Me } from '../../shared/api.ts';

/** The current user and their role in each working group, as GET /api/me answers it. */
export function describeMe(stores: Stores, user: User): Me {
  return {
    user: { id: user.id, username: user.username, displayName: user.displayName },
    memberships: stores.accounts.memberships(user.id).map((m) => ({
      group: { slug: m.group.slug, name: m.group.name },
      role: m.role,
      delegation: m.delegation && { id: m.delegation.id, name: m.delegation.name, color: m.delegation.color },
    })),
  };
}
