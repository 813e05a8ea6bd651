import type { Role } from './roles.ts';

/**
 * Who may see, write and resolve comment threads (ARCHITECTURE.md §2). A thread is public (the whole
 * working group) or private to the scope of its author: their delegation, or — for the chair and
 * the secretariat, who speak for no delegation — their office. Nobody outside a private scope sees
 * its threads: not the chair, not the secretariat, not observers.
 */
export interface Viewer {
  userId: number;
  role: Role;
  delegationId: number | null;
  delegationName: string | null;
}

export const MAX_COMMENT_LENGTH = 4000;

/** The private scope a viewer writes into and reads: "delegation:12", "role:chair". */
export function privateScope(viewer: Viewer): string {
  return viewer.delegationId !== null ? `delegation:${viewer.delegationId}` : `role:${viewer.role}`;
}

/** Whom a viewer speaks for in a thread: their delegation, or their office. */
export function speaksFor(viewer: Viewer): string {
  if (viewer.delegationName) return viewer.delegationName;
  return viewer.role === 'chair' ? 'Chair' : viewer.role === 'secretariat' ? 'Secretariat' : 'Observer';
}

export function canSeeThread(scope: string, viewer: Viewer): boolean {
  if (scope === 'public') return true;
  if (viewer.role === 'observer') return false;
  return scope === privateScope(viewer);
}

/** Why the viewer may not comment, or null. */
export function commentRefusal(viewer: Viewer): string | null {
  return viewer.role === 'observer' ? 'observers can read public threads but cannot comment' : null;
}

/** Why the viewer may not resolve or reopen a thread opened by `owner`, or null. */
export function resolveRefusal(owner: string, viewer: Viewer): string | null {
  if (viewer.role === 'chair') return null;
  if (viewer.role !== 'observer' && speaksFor(viewer) === owner) return null;
  if (viewer.role === 'observer') return 'observers can read public threads but cannot resolve or reopen them';
  return `only ${owner} or the chair can resolve or reopen this thread`;
}

/**
 * Delegations mentioned in a comment ("@Brazil", "@Saudi Arabia"), matched against the group's names
 * without regard to case; "someone@brazil.example" is an address, not a mention.
 */
export function mentionedDelegations(body: string, delegations: readonly string[]): string[] {
  const found = new Set<string>();
  const lower = body.toLowerCase();
  const wordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  for (const name of [...delegations].sort((a, b) => b.length - a.length)) {
    const needle = `@${name.toLowerCase()}`;
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
      if (!wordChar(lower[at - 1]) && !wordChar(lower[at + needle.length])) {
        found.add(name);
        break;
      }
    }
  }
  return [...found];
}
