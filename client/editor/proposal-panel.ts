import { Plugin } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { h } from '../app/dom.ts';
import { MARKERS, suggestedMarker } from '../../shared/schema/index.ts';
import type { Marker } from '../../shared/schema/index.ts';
import { itemAt } from '../../shared/editing/provisions.ts';
import { proposalChangeProblem, setProposal } from '../../shared/editing/markers.ts';
import type { ProposalChange } from '../../shared/editing/markers.ts';
import { labels } from '../../shared/numbering.ts';

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

export function proposalPanelPlugin(mount: HTMLElement): Plugin {
  return new Plugin({
    view(view) {
      const title = h('span', { class: 'proposal-which' });
      const marker = h('select', { id: 'proposal-marker', class: 'field' });
      const reference = h('input', { id: 'proposal-reference', class: 'field', placeholder: 'e.g. ACP/47A1/1', autocomplete: 'off', spellcheck: 'false' });
      const referenceError = h('p', { class: 'field-error', id: 'proposal-reference-error', role: 'alert', hidden: true });
      const reasons = h('textarea', { id: 'proposal-reasons', class: 'field', rows: 3, placeholder: 'Why the delegation proposes this' });
      const none = h('p', { class: 'muted' }, 'Put the cursor in a provision to see or set its proposal marker, reference and reasons.');
      const form = h('div', { class: 'proposal-form', hidden: true },
        h('label', { for: 'proposal-marker' }, 'Marker'), marker,
        h('label', { for: 'proposal-reference' }, 'Proposal reference'), reference, referenceError,
        h('label', { for: 'proposal-reasons' }, 'Reasons'), reasons,
      );
      const panel = h('section', { class: 'side-panel proposal', 'aria-labelledby': 'proposal-title' },
        h('h2', { id: 'proposal-title' }, 'Provision ', title), none, form);
      mount.append(panel);
      reference.setAttribute('aria-describedby', 'proposal-reference-error');

      let shownId: string | null = null;
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
        if (item.node === shownNode) return;
        const id = item.node.attrs.id as string;
        const sameItem = id !== '' && id === shownId;
        shownId = id;
        shownNode = item.node;
        title.textContent = labels(v.state.doc).get(item.pos)?.printed ?? '';
        const automatic = suggestedMarker(item.node.attrs.baseText as string | null, item.node.firstChild!.textContent);
        marker.replaceChildren(
          h('option', { value: '' }, `Automatic: ${automatic} (${MARKER_HELP[automatic]})`),
          ...MARKERS.map((m) => h('option', { value: m }, `${m} — ${MARKER_HELP[m]}`)),
        );
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
