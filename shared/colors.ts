/**
 * Delegation colours: a palette of 36 hues that stay apart from each other, used in order as
 * delegations are added. Names are always shown beside a colour, so colour is never the only cue.
 */
export const DELEGATION_PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#0b5394', '#a61c00',
  '#38761d', '#674ea7', '#b45f06', '#127a8a', '#741b47', '#5b7b00',
  '#3d85c6', '#cc4125', '#6aa84f', '#8e7cc3', '#e69138', '#45818e',
  '#c27ba0', '#996633', '#4a4a8a', '#b8860b', '#2f4f4f', '#c71585',
  '#006d6f', '#8b0000', '#556b2f', '#483d8b', '#d2691e', '#4682b4',
] as const;

/** Colour used for the chair and the secretariat, who speak for no delegation. */
export const OFFICER_COLOR = '#3c3c3c';

export function delegationColor(index: number): string {
  return DELEGATION_PALETTE[index % DELEGATION_PALETTE.length]!;
}
