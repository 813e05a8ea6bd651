import { Plugin } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { h } from '../app/dom.ts';
import { MARKERS, PROVISION_STATUSES, suggestedMarker } from '../../shared/schema/index.ts';
import type { Marker, ProvisionStatus } from '../../shared/schema/index.ts';
import { itemAt } from '../../shared/editing/provisions.ts';
import { proposalChangeProblem, setProposal } from '../../shared/editing/markers.ts';
import type { ProposalChange } from '../../shared/editing/markers.ts';
import { labels } from '../../shared/numbering.ts';
import { isProposal } from '../../shared/render/plain-text.ts';

/**
 * The "Provision" panel: what the proposal says about the provision holding the cursor — its
 * marker (automatic from the text, or set), its proposal reference and its reasons. Fields keep
 * what is being typed; a malformed reference is explained, not stored.
 */
const MARKER_HELP: Record<Marker, string> = {
  ADD: 'new provision',
  'ADD*': 'existing text moved here',
  MOD: 'provision changed',
  '(MOD)': 'editorial change only',
  SUP: 'provision deleted',
  'SUP*': 'moved elsewhere',
  NOC: 'no change',
};

/** The chair also sets the provision's status here (a decision the server carries out). */
export interface ProposalPanelOptions {
  isChair: boolean;
  setStatus(provisionId: string, status: ProvisionStatus): Promise<string | null>;
}

const STATUS_TEXT: Record<ProvisionStatus, string> = { open: 'Open', agreed_ad_ref: 'Agreed ad ref.', agreed: 'Agreed' };

export function proposalPanelPlugin(mount: HTMLElement, options?: ProposalPanelOptions): Plugin {
  return new Plugin({
    view(view) {
      const title = h('span', { class: 'proposal-which' });
      const marker = h('select', { id: 'proposal-marker', class: 'field' });
      const reference = h('input', { id: 'proposal-reference', class: 'field', placeholder: 'e.g. ACP/47A1/1', autocomplete: 'off', spellcheck: 'false' });
      const referenceError = h('p', { class: 'field-error', id: 'proposal-reference-error', role: 'alert', hidden: true });
      const reasons = h('textarea', { id: 'proposal-reasons', class: 'field', rows: 3, placeholder: 'Why the delegation proposes this' });
      const none = h('p', { class: 'muted' }, 'Put the cursor in a provision to see or set its proposal marker, reference and reasons.');
      const statusText = h('span', { class: 'provision-status' });
      const statusMessage = h('p', { class: 'field-error', role: 'alert', hidden: true });
      let statusTarget: string | null = null;
      const statusButtons = options?.isChair
        ? PROVISION_STATUSES.map((status) => {
            const button = h('button', { type: 'button', class: 'button button-small', 'data-status': status }, STATUS_TEXT[status]);
            button.addEventListener('click', async () => {
              if (!statusTarget || button.getAttribute('aria-pressed') === 'true') return;
              const error = await options.setStatus(statusTarget, status);
              statusMessage.hidden = !error;
              statusMessage.textContent = error ?? '';
            });
            return button;
          })
        : [];
      const statusRow = h(
        'div',
        { class: 'provision-status-row' },
        h('span', { class: 'label' }, 'Status: '),
        statusText,
        statusButtons.length > 0 && h('span', { class: 'status-buttons', role: 'group', 'aria-label': 'Set the status of this provision' }, statusButtons),
        statusMessage,
      );
      const markerFields = h('details', { class: 'proposal-details' }, h('summary', {}, 'Proposal marker, reference and reasons'));
      const form = h('div', { class: 'proposal-form', hidden: true }, statusRow, markerFields);
      const fieldsHolder = h(
        'div',
        { class: 'proposal-fields' },
        h('label', { for: 'proposal-marker' }, 'Marker'),
        marker,
        h('label', { for: 'proposal-reference' }, 'Proposal reference'),
        reference,
        referenceError,
        h('label', { for: 'proposal-reasons' }, 'Reasons'),
        reasons,
      );
      markerFields.append(fieldsHolder);
      const panel = h('section', { class: 'side-panel proposal', 'aria-labelledby': 'proposal-title' }, h('h2', { id: 'proposal-title' }, 'Provision ', title), none, form);
      mount.append(panel);
      reference.setAttribute('aria-describedby', 'proposal-reference-error');

      let shownId: string | null = null;
      let shownDoc: PMNode | null = null;
      let wasProposal: boolean | null = null;
      let shownNode: PMNode | null = null;

      const apply = (change: ProposalChange) => {
        const problem = proposalChangeProblem(change);
        if (change.reference !== undefined) {
          referenceError.hidden = !problem;
          referenceError.textContent = problem ?? '';
          reference.setAttribute('aria-invalid', String(Boolean(problem)));
        }
        if (!problem) setProposal(change)(view.state, view.dispatch);
      };
      marker.addEventListener('change', () => apply({ marker: marker.value === '' ? null : (marker.value as Marker) }));
      reference.addEventListener('change', () => apply({ reference: reference.value }));
      reasons.addEventListener('change', () => apply({ reasons: reasons.value }));
      // Enter in the reference field stores it and goes back to the text.
      reference.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          apply({ reference: reference.value });
          if (referenceError.hidden) view.focus();
        }
      });

      const update = (v: EditorView) => {
        const item = itemAt(v.state.selection.$from);
        form.hidden = !item;
        none.hidden = Boolean(item);
        if (!item) {
          title.textContent = '';
          shownId = null;
          shownNode = null;
          return;
        }
        const editable = v.editable;
        for (const field of [marker, reference, reasons]) field.disabled = !editable;
        const status = (item.node.attrs.status as ProvisionStatus | undefined) ?? null;
        statusRow.hidden = status === null;
        statusTarget = status === null ? null : (item.node.attrs.id as string);
        if (status) {
          statusText.textContent = STATUS_TEXT[status];
          for (const button of statusButtons) button.setAttribute('aria-pressed', String(button.dataset.status === status));
        }
        // In a proposal the marker is the point: show it open; in a plain draft keep it folded.
        if (v.state.doc !== shownDoc) {
          shownDoc = v.state.doc;
          const proposal = isProposal(v.state.doc);
          if (proposal !== wasProposal) markerFields.open = proposal;
          wasProposal = proposal;
        }
        if (item.node === shownNode) return;
        const id = item.node.attrs.id as string;
        const sameItem = id !== '' && id === shownId;
        shownId = id;
        shownNode = item.node;
        title.textContent = labels(v.state.doc).get(item.pos)?.printed ?? '';
        const automatic = suggestedMarker(item.node.attrs.baseText as string | null, item.node.firstChild!.textContent);
        marker.replaceChildren(h('option', { value: '' }, `Automatic: ${automatic} (${MARKER_HELP[automatic]})`), ...MARKERS.map((m) => h('option', { value: m }, `${m} — ${MARKER_HELP[m]}`)));
        marker.value = (item.node.attrs.marker as string | null) ?? '';
        // Never overwrite what is being typed in the same provision's fields.
        if (!(sameItem && document.activeElement === reference)) {
          reference.value = item.node.attrs.reference as string;
          referenceError.hidden = true;
          reference.removeAttribute('aria-invalid');
        }
        if (!(sameItem && document.activeElement === reasons)) reasons.value = item.node.attrs.reasons as string;
      };
      update(view);
      return { update, destroy: () => panel.remove() };
    },
  });
}
