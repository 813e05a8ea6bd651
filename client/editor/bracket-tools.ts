import type { Command, Plugin } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { h } from '../app/dom.ts';
import { bracketProvision, bracketsAt, bracketSelection, offerAlternative, withdrawBracket } from '../../shared/brackets/commands.ts';
import type { ToolGroup } from './toolbar.ts';
import { run } from './toolbar.ts';
import { bindingsFor, shortcutLabel } from './shortcuts.ts';
import { wordingPopover } from './wording-popover.ts';

/**
 * The bracket tools, from the toolbar and from the keyboard alike: bracket the selection (or what
 * is typed next), mark it as awaiting instructions, bracket the whole provision, offer an
 * alternative (its wording typed in a popover beside the selected words), take back one's own
 * bracket. Delegates always bracket for their own delegation, the chair as the Chair; the
 * secretariat, who types for delegations, chooses which one first — nothing is bracketed for a
 * delegation nobody chose.
 */
export interface BracketToolsOptions {
  /** Delegations the secretariat may bracket for; empty for delegates and the chair. */
  onBehalfOf: string[];
  /** Who brackets now: the delegate's delegation, "Chair", the secretariat's choice or '' (not chosen yet). */
  bracketAs(): string;
  setBracketAs(delegation: string): void;
  /** Tells the delegate why a key did nothing. */
  refuse(message: string): void;
}

export interface BracketTools {
  toolGroup: ToolGroup;
  /** The tools' keys, from the shortcuts table. */
  keymap: Plugin;
  destroy(): void;
}

const CHOOSE_FIRST = 'choose first, in the toolbar, for which delegation you bracket';

export function bracketTools(options: BracketToolsOptions): BracketTools {
  const popover = wordingPopover('alternative-input');

  const mayOfferAlternative = (view: EditorView) => bracketsAt(view.state).some((b) => b.kind === 'alternative') || !view.state.selection.empty;
  const mineHere = (view: EditorView) =>
    bracketsAt(view.state)
      .filter((b) => b.delegation === options.bracketAs())
      .pop();

  const openAlternative = (view: EditorView) =>
    popover.open(view, {
      title: 'Offer an alternative',
      label: 'Wording of the alternative',
      placeholder: 'The wording you propose instead',
      action: 'Offer',
      submit(text) {
        if (!text.trim()) {
          popover.say('Type the wording you propose.');
          return false;
        }
        if (offerAlternative(options.bracketAs(), text)(view.state, view.dispatch)) return true;
        popover.say('An alternative stands against words of one paragraph: select them again, within one provision.');
        return false;
      },
    });
  const withdrawMine = (view: EditorView) => {
    const mine = mineHere(view);
    if (mine) run(view, withdrawBracket(mine.id));
  };

  /** A key of the tools: said why when it cannot apply, so a key never silently does nothing. */
  const keyCommand =
    (act: (view: EditorView) => boolean | string): Command =>
    (_state, dispatch, view) => {
      if (!view?.editable) return false;
      if (!dispatch) return true;
      if (!options.bracketAs()) {
        options.refuse(CHOOSE_FIRST);
        return true;
      }
      const outcome = act(view);
      if (typeof outcome === 'string') options.refuse(outcome);
      return true;
    };
  const as = (command: (who: string) => Command) => (view: EditorView) => command(options.bracketAs())(view.state, view.dispatch, view);
  const commands: Record<string, Command> = {
    bracket: keyCommand((view) => as(bracketSelection)(view) || 'there is nothing to bracket here'),
    awaiting: keyCommand((view) => as((who) => bracketSelection(who, 'awaiting'))(view) || 'there is nothing to bracket here'),
    'bracket-provision': keyCommand((view) => as(bracketProvision)(view) || 'put the caret in a provision to bracket it'),
    alternative: keyCommand((view) => {
      if (!mayOfferAlternative(view)) return 'select the words you offer an alternative to, or put the caret in an alternative to add an option';
      openAlternative(view);
      return true;
    }),
    withdraw: keyCommand((view) => {
      if (!mineHere(view)) return `there is no bracket of ${options.bracketAs()}'s here to take back`;
      withdrawMine(view);
      return true;
    }),
  };

  const toolGroup: ToolGroup = (view: EditorView) => {
    const tool = (text: string, label: string, action: () => void, className = '') => {
      const button = h('button', { type: 'button', class: `tool ${className}`.trim(), 'aria-label': label, title: label }, text);
      button.addEventListener('mousedown', (event) => event.preventDefault());
      button.addEventListener('click', action);
      return button;
    };
    const bracket = tool('[ ]', `Bracket the selection, or what you type next (${shortcutLabel('bracket')})`, () => run(view, bracketSelection(options.bracketAs())), 'tool-bracket');
    const awaiting = tool('[?]', `Bracket as awaiting instructions from capital (${shortcutLabel('awaiting')})`, () => run(view, bracketSelection(options.bracketAs(), 'awaiting')));
    const provision = tool('[¶]', `Bracket the whole provision (${shortcutLabel('bracket-provision')})`, () => run(view, bracketProvision(options.bracketAs())));
    const remove = tool('[×]', `Take back your bracket here (an alternative option goes with its text) (${shortcutLabel('withdraw')})`, () => withdrawMine(view));
    const alternative = tool('Alt…', `Alt… — offer an alternative to the selected text, or another option in an alternatives group (${shortcutLabel('alternative')})`, () => openAlternative(view));
    alternative.setAttribute('aria-haspopup', 'dialog');

    // The secretariat's choice, visible in the toolbar; no delegation until one is chosen.
    const forWhom = options.onBehalfOf.length
      ? h(
          'select',
          { class: 'tool tool-select tool-for', 'aria-label': 'Bracket on behalf of', title: 'Brackets you add are attributed to this delegation' },
          h('option', { value: '' }, 'For which delegation?'),
          options.onBehalfOf.map((d) => h('option', { value: d }, `For ${d}`)),
        )
      : null;
    if (forWhom) {
      forWhom.value = options.onBehalfOf.includes(options.bracketAs()) ? options.bracketAs() : '';
      options.setBracketAs(forWhom.value);
      forWhom.addEventListener('change', () => {
        options.setBracketAs(forWhom.value);
        view.dispatch(view.state.tr); // the tools follow the choice
      });
    }

    const element = h('div', { class: 'toolbar-group toolbar-brackets' }, forWhom, bracket, awaiting, provision, alternative, remove);
    return {
      element,
      update(v) {
        const may = v.editable && options.bracketAs() !== '';
        bracket.disabled = !may || !bracketSelection(options.bracketAs())(v.state);
        awaiting.disabled = bracket.disabled;
        provision.disabled = !may || !bracketProvision(options.bracketAs())(v.state);
        alternative.disabled = !may || !mayOfferAlternative(v);
        remove.disabled = !may || !mineHere(v);
        if (forWhom) {
          forWhom.disabled = !v.editable;
          forWhom.classList.toggle('is-unchosen', forWhom.value === '');
        }
      },
    };
  };

  return { toolGroup, keymap: keymap(bindingsFor(commands)), destroy: () => popover.destroy() };
}
