import { delegationPatterns } from '../../shared/colors.ts';
import type { DelegationPattern } from '../../shared/colors.ts';

/**
 * The patterns of the delegations of the group in view (shared/colors.ts): beyond the 12th
 * delegation, colours repeat and the pattern of swatches and carets tells them apart. Pages that
 * know the group's delegations register them; everything drawing a delegation asks `patternOf`.
 */
let patterns = new Map<string, DelegationPattern>();

export function knowDelegations(delegations: readonly { id: number; name: string }[]): void {
  patterns = delegationPatterns(delegations);
}

export function patternOf(delegation: string | null | undefined): DelegationPattern {
  return (delegation && patterns.get(delegation)) || 'solid';
}
