/**
 * Roles of a working group and what each may do (ARCHITECTURE.md §2).
 * The server enforces these rules; the client only mirrors them to hide controls.
 */
export const ROLES = ['chair', 'secretariat', 'delegate', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether the role may change the text of open provisions. Observers only read. */
export function canEditText(role: Role): boolean {
  return role !== 'observer';
}

/** Whether the role may create documents, change their metadata and take versions. */
export function canManageDocuments(role: Role): boolean {
  return role === 'chair' || role === 'secretariat';
}

/** Delegates act for a delegation; the other roles do not need one. */
export function needsDelegation(role: Role): boolean {
  return role === 'delegate';
}
