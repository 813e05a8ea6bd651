import type { Command } from 'prosemirror-state';
import { isMarker, referenceProblem } from '../schema/index.ts';
import type { Marker } from '../schema/index.ts';
import { itemAt } from './provisions.ts';

/** What a delegation states about one provision of its proposal. */
export interface ProposalChange {
  /** An explicit marker, or null to let it follow from the text (ADD / MOD / NOC). */
  marker?: Marker | null;
  reference?: string;
  reasons?: string;
}

/** Why a change to a provision's proposal cannot be made, or null when it can. */
export function proposalChangeProblem(change: ProposalChange): string | null {
  if (change.marker !== undefined && change.marker !== null && !isMarker(change.marker)) return `"${String(change.marker)}" is not a proposal marker`;
  if (change.reference !== undefined) return referenceProblem(change.reference.trim());
  return null;
}

/** Sets the marker, reference or reasons of the provision (or sub-item) the cursor is in. */
export function setProposal(change: ProposalChange): Command {
  return (state, dispatch) => {
    if (proposalChangeProblem(change)) return false;
    const item = itemAt(state.selection.$from);
    if (!item) return false;
    const attrs = { ...item.node.attrs };
    if (change.marker !== undefined) attrs.marker = change.marker;
    if (change.reference !== undefined) attrs.reference = change.reference.trim();
    if (change.reasons !== undefined) attrs.reasons = change.reasons;
    if (Object.keys(attrs).every((key) => attrs[key] === item.node.attrs[key])) return false;
    dispatch?.(state.tr.setNodeMarkup(item.pos, undefined, attrs));
    return true;
  };
}
