import type { DocumentStatus, DocumentType } from '../../shared/documents.ts';
import type { Role } from '../../shared/roles.ts';

/** Words shown for the API's enumerations, in the language of the working group. */
export const ROLE_LABEL: Record<Role, string> = {
  chair: 'Chair',
  secretariat: 'Secretariat',
  delegate: 'Delegate',
  observer: 'Observer',
};

export const TYPE_LABEL: Record<DocumentType, string> = {
  resolution: 'Resolution',
  recommendation: 'Recommendation',
  decision: 'Decision',
  'council-document': 'Council document',
};

export const STATUS_LABEL: Record<DocumentStatus, string> = {
  draft: 'Draft',
  negotiation: 'In negotiation',
  agreed: 'Agreed',
  archived: 'Archived',
};

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short' });

/**
 * "just now", "12 min ago", "today 14:05", "3 Nov 2025, 09:30": recent changes matter most during
 * a session, older ones need the date.
 */
export function formatUpdated(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (date.toDateString() === now.toDateString()) return `today ${timeFormat.format(date)}`;
  return `${dayFormat.format(date)}, ${timeFormat.format(date)}`;
}

/** The full date and time, for tooltips. */
export function formatFull(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : fullFormat.format(date);
}

/** Server messages are lower-case fragments ("wrong username or password"); shown as sentences. */
export function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}
