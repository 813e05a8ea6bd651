/**
 * ITU proposal markers (ARCHITECTURE.md §1). Each marks what a proposal does to one provision of a
 * base text: ADD a new provision, MOD change it, SUP delete it, NOC keep it for context.
 * The starred forms move text in (ADD*) or out (SUP*); (MOD) is an editorial change only.
 */
export const MARKERS = ['ADD', 'ADD*', 'MOD', '(MOD)', 'SUP', 'SUP*', 'NOC'] as const;
export type Marker = (typeof MARKERS)[number];

export function isMarker(value: unknown): value is Marker {
  return typeof value === 'string' && (MARKERS as readonly string[]).includes(value);
}

/**
 * A proposal reference `SOURCE/DOC[A addendum]/n`: "ACP/47A1/1", "AD HOC WGPL/47/1",
 * "EUR/12A2/3". The source is capitals, digits, spaces, dots or dashes.
 */
export const PROPOSAL_REFERENCE = /^[A-Z][A-Z0-9 .-]{0,30}\/\d{1,4}(A\d{1,3})?\/\d{1,4}$/;

/** What is wrong with a proposal reference, or null when it is well formed (or empty). */
export function referenceProblem(reference: string): string | null {
  if (reference === '') return null;
  if (PROPOSAL_REFERENCE.test(reference)) return null;
  return `"${reference}" is not a proposal reference; write it as SOURCE/DOC/n or SOURCE/DOCAaddendum/n, e.g. ACP/47A1/1`;
}

/**
 * The marker that follows from the text when none was set: no base text → ADD; base text changed
 * → MOD; unchanged → NOC.
 */
export function suggestedMarker(baseText: string | null, text: string): Marker {
  if (baseText === null) return 'ADD';
  return normalizeSpace(baseText) === normalizeSpace(text) ? 'NOC' : 'MOD';
}

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
