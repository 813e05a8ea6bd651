import type { Me, Membership } from '../../shared/api.ts';
import { api, ApiError } from './api.ts';

/**
 * Who is logged in, as the server last told us. The cookie itself is HttpOnly, so `/api/me` is the
 * only way to know; the answer is kept here so views do not ask again on every navigation.
 */
let current: Me | null = null;

/** The logged-in user, asking the server once; null when there is no valid session. */
export async function loadSession(): Promise<Me | null> {
  if (current) return current;
  try {
    current = await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
  return current;
}

export function setSession(me: Me): void {
  current = me;
}

/** Forgets the user locally (after logout, or when the server says the session has ended). */
export function clearSession(): void {
  current = null;
}

/** The user's membership in a working group, if any. */
export function membershipIn(me: Me, slug: string): Membership | undefined {
  return me.memberships.find((m) => m.group.slug === slug);
}
