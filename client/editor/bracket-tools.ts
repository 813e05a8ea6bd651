import type { EditorView } from 'prosemirror-view';
import { h } from '../app/dom.ts';
import { bracketProvision, bracketsAt, bracketSelection, offerAlternative, withdrawBracket } from '../../shared/brackets/commands.ts';
import type { ToolGroup } from './toolbar.ts';
import { run } from './toolbar.ts';
import { shortcutLabel } from './shortcuts.ts';

/**
 * The bracket tools of the toolbar: bracket the selection (or what is typed next), mark it as
 * awaiting instructions, bracket the whole provision, offer an alternative (the wording typed in a
 * small field that opens under the button), take back one's own bracket. The secretariat, who
 * types for delegations, chooses which one; delegates always bracket for their own.
 */
export interface BracketToolsOptions {
  /** Delegations the secretariat may bracket for; empty for delegates and the chair. */
  onBehalfOf: string[];
  /** Who brackets now: the delegate's delegation, "Chair", or the secretariat's choice. */
  bracketAs(): string;
  setBracketAs(delegation: string): void;
}


export function bracketTools(options: BracketToolsOptions): ToolGroup {
  return (view: EditorView) => {
    const tool = (text: string, label: string, action: () => void, className = '') => {
      const button = h('button', { type: 'button', class: `tool ${className}`.trim(), 'aria-label': label, title: label }, text);
      button.addEventListener('mousedown', (event) => event.preventDefault());
      button.addEventListener('click', action);
      return button;
    };
    const bracket = tool('[ ]', `Bracket the selection, or what you type next (${shortcutLabel('bracket')})`, () => run(view, bracketSelection(options.bracketAs())), 'tool-bracket');
    const awaiting = tool('[?]', 'Bracket as awaiting instructions from capital', () => run(view, bracketSelection(options.bracketAs(), 'awaiting')));
    const provision = tool('[¶]', 'Bracket the whole provision', () => run(view, bracketProvision(options.bracketAs())));
    const remove = tool('[×]', 'Take back your bracket here (an alternative option goes with its text)', () => {
      const mine = bracketsAt(view.state).filter((b) => b.delegation === options.bracketAs()).pop();
      if (mine) run(view, withdrawBracket(mine.id));
    });

    // "Alternative…": a small field under the button; Enter offers the wording, Escape closes.
    const input = h('input', { type: 'text', class: 'alternative-input', 'aria-label': 'Wording of the alternative', placeholder: 'Wording of the alternative, then Enter' });
    const popover = h('div', { class: 'tool-popover', hidden: true, role: 'dialog', 'aria-label': 'Offer an alternative' }, input);
    const alternative = tool('Alt…', 'Alt… — offer an alternative to the selected text, or another option in an alternatives group', () => {
      popover.hidden = !popover.hidden;
      if (!popover.hidden) input.focus();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        popover.hidden = true;
        view.focus();
      } else if (event.key === 'Enter') {
        event.preventDefault();
        if (offerAlternative(options.bracketAs(), input.value)(view.state, view.dispatch)) {
          input.value = '';
          popover.hidden = true;
          view.focus();
        }
      }
    });

    const forWhom = options.onBehalfOf.length
      ? h('select', { class: 'tool tool-select', 'aria-label': 'Bracket on behalf of', title: 'Brackets you add are attributed to this delegation' },
        options.onBehalfOf.map((d) => h('option', { value: d }, `for ${d}`)))
      : null;
    forWhom?.addEventListener('change', () => options.setBracketAs(forWhom.value));
    if (forWhom) options.setBracketAs(forWhom.value);

    const element = h('div', { class: 'toolbar-group toolbar-brackets' }, forWhom, bracket, awaiting, provision, h('span', { class: 'tool-anchor' }, alternative, popover), remove);
    return {
      element,
      update(v) {
        const editable = v.editable;
        bracket.disabled = !editable || !bracketSelection(options.bracketAs())(v.state);
        awaiting.disabled = bracket.disabled;
        provision.disabled = !editable || !bracketProvision(options.bracketAs())(v.state);
        alternative.disabled = !editable || !(bracketsAt(v.state).some((b) => b.kind === 'alternative') || !v.state.selection.empty);
        remove.disabled = !editable || !bracketsAt(v.state).some((b) => b.delegation === options.bracketAs());
        if (forWhom) forWhom.disabled = !editable;
      },
    };
  };
}
