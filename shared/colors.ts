/**
 * Delegation colours and patterns. A working group may seat 30 or more delegations, and some readers
 * do not tell red from green: no palette of colours alone can keep that many apart. So a delegation
 * is told by three things together, and never by colour alone:
 *
 * - its **name**, written beside every colour (carets, presence, brackets, proposals, chips);
 * - its **colour**, from a palette of 12 in an order that keeps the first ones apart for
 *   protanopes and deuteranopes too (blue, ochre, rose, green …; chosen by simulating both), every
 *   one dark enough for text on white (contrast 4.5:1 or more, WCAG AA);
 * - its **pattern** once the colours are used up: delegations 1–12 have solid swatches and
 *   carets, 13–24 striped swatches and dashed carets, 25–36 dotted, 37–48 hollow rings and double
 *   carets. 48 delegations get 48 different colour-and-pattern pairs.
 *
 * A delegation's style index is its place in the order delegations were added to the group (the
 * server colours the n-th delegation with `delegationColor(n)`; the client ranks delegations by id).
 */
export const DELEGATION_PALETTE = ['#0072b2', '#7a6a00', '#b0306e', '#1b7837', '#8e3a8a', '#5d3fa6', '#8a4a1c', '#c0283c', '#3d6b1f', '#2f4b8f', '#b8500b', '#136f8a'] as const;

/** How a delegation's swatch and caret are drawn once the palette has been used once, twice, three times. */
export const DELEGATION_PATTERNS = ['solid', 'stripes', 'dots', 'ring'] as const;
export type DelegationPattern = (typeof DELEGATION_PATTERNS)[number];

/** Colour used for the chair and the secretariat, who speak for no delegation. */
export const OFFICER_COLOR = '#3c3c3c';

export interface DelegationStyle {
  color: string;
  pattern: DelegationPattern;
}

export function delegationStyle(index: number): DelegationStyle {
  const i = Math.max(0, Math.floor(index));
  return {
    color: DELEGATION_PALETTE[i % DELEGATION_PALETTE.length]!,
    pattern: DELEGATION_PATTERNS[Math.floor(i / DELEGATION_PALETTE.length) % DELEGATION_PATTERNS.length]!,
  };
}

export function delegationColor(index: number): string {
  return delegationStyle(index).color;
}

/**
 * Each delegation's pattern, from the order the delegations were added (their ids), keyed by name.
 * Their colours are the ones stored with them (the server's `delegationColor` of the same order).
 */
export function delegationPatterns(delegations: readonly { id: number; name: string }[]): Map<string, DelegationPattern> {
  const byAge = [...delegations].sort((a, b) => a.id - b.id);
  return new Map(byAge.map((d, i) => [d.name, delegationStyle(i).pattern]));
}
