import { Plugin, TextSelection } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import { h, safeColor, swatch } from '../app/dom.ts';
import { alternativesPhrase, bracketedShare, collectBrackets, openQuestions, optionsOf, ownerOf, possessive } from '../../shared/brackets/model.ts';
import type { Bracket } from '../../shared/brackets/model.ts';
import type { DecisionBody } from '../../shared/api.ts';
import { describeBracket } from './brackets.ts';
import { patternOf } from '../app/delegation-style.ts';
import { shortcutLabel } from './shortcuts.ts';
import { announce, goTo } from './navigation.ts';

/**
 * The proposals panel: every open bracket and alternatives group of the text with its delegation,
 * kind, age and place; filters by delegation, kind and section; counts per delegation and the share
 * of the text still in brackets. Activating an entry jumps to it. The chair gets the decisions:
 * accept, reject, choose an option — one by one, or for everything the filters show.
 */
export interface ProposalsOptions {
  isChair: boolean;
  colorOf(delegation: string): string;
  /** Sends a decision to the server; resolves with an error message, or null when done. */
  decide(body: DecisionBody): Promise<string | null>;
}

interface Filters {
  delegation: string;
  kind: string;
  section: string;
}

const KINDS: Record<string, string> = { contested: 'Bracketed', awaiting: 'Awaiting instructions', alternative: 'Alternatives' };
const clip = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function proposalsPlugin(mount: HTMLElement, options: ProposalsOptions): Plugin {
  return new Plugin({
    view(view) {
      const filters: Filters = { delegation: '', kind: '', section: '' };
      const delegationFilter = h('select', { class: 'field', 'aria-label': 'Show proposals of' });
      const kindFilter = h(
        'select',
        { class: 'field', 'aria-label': 'Show kind' },
        h('option', { value: '' }, 'All kinds'),
        Object.entries(KINDS).map(([k, label]) => h('option', { value: k }, label)),
      );
      const sectionFilter = h('select', { class: 'field', 'aria-label': 'Show section' });
      const summary = h('p', { class: 'proposals-summary' });
      const counts = h('ul', { class: 'proposals-counts', 'aria-label': 'Open brackets per delegation' });
      const list = h('ol', { class: 'proposals-list' });
      const status = h('p', { class: 'proposals-status', role: 'status' });
      const acceptAll = h('button', { type: 'button', class: 'button button-small' }, 'Accept all shown');
      const rejectAll = h('button', { type: 'button', class: 'button button-small button-danger' }, 'Reject all shown');
      const bulk = options.isChair ? h('div', { class: 'proposals-bulk' }, acceptAll, rejectAll) : null;
      // Going through the text bracket by bracket, as the keys do (navigation.ts).
      const where = h('span', { class: 'proposals-where' });
      const step = (direction: 1 | -1) => {
        const said = goTo(view, 'bracket', direction);
        where.textContent = said;
        announce(said);
      };
      const previous = h('button', { type: 'button', class: 'button button-small', title: `Previous open bracket (${shortcutLabel('previous-bracket')})`, onclick: () => step(-1) }, '◀ Previous');
      const next = h('button', { type: 'button', class: 'button button-small', title: `Next open bracket (${shortcutLabel('next-bracket')})`, onclick: () => step(1) }, 'Next ▶');
      for (const button of [previous, next]) button.addEventListener('mousedown', (event) => event.preventDefault());
      const panel = h(
        'section',
        { class: 'proposals', 'aria-label': 'Proposals' },
        h('div', { class: 'proposals-nav', role: 'group', 'aria-label': 'Go through the open brackets' }, previous, next, where),
        summary,
        counts,
        h('div', { class: 'proposals-filters' }, delegationFilter, kindFilter, sectionFilter),
        bulk,
        status,
        list,
      );
      mount.append(panel);

      let doc: PMNode | null = null;
      let shown: Bracket[] = [];
      let frame = 0;

      const jump = (b: Bracket) => {
        view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(Math.min(b.from + 1, view.state.doc.content.size)))).scrollIntoView());
        view.focus();
      };
      const act = async (body: DecisionBody, what: string) => {
        status.textContent = `${what}…`;
        const error = await options.decide(body);
        status.textContent = error ? `Not done: ${error}` : `${what}: done.`;
        status.classList.toggle('is-error', Boolean(error));
      };

      const entry = (b: Bracket, all: Map<string, Bracket>) => {
        const color = safeColor(options.colorOf(b.delegation));
        const where = [b.provisionLabel, b.section].filter(Boolean).join(' · ') || 'outside the provisions';
        const actions: HTMLElement[] = [];
        if (options.isChair) {
          if (b.kind === 'alternative') {
            actions.push(
              h('button', { type: 'button', class: 'button button-small', onclick: () => void act({ action: 'choose', optionId: b.id }, `Choosing ${possessive(b.delegation)} option`) }, 'Choose'),
            );
          } else {
            actions.push(
              h('button', { type: 'button', class: 'button button-small', onclick: () => void act({ action: 'accept', bracketIds: [b.id] }, `Accepting ${possessive(b.delegation)} text`) }, 'Accept'),
            );
          }
          actions.push(
            h(
              'button',
              { type: 'button', class: 'button button-small button-danger', onclick: () => void act({ action: 'reject', bracketIds: [b.id] }, `Rejecting ${possessive(b.delegation)} text`) },
              'Reject',
            ),
          );
        }
        const option = b.kind === 'alternative' ? optionsOf(all, b.group).indexOf(b) + 1 : 0;
        return h(
          'li',
          { class: `proposal-entry kind-${b.kind}` },
          h(
            'button',
            { type: 'button', class: 'proposal-jump', title: `Go to it in the text — ${describeBracket(b)}`, onclick: () => jump(b) },
            h(
              'span',
              { class: 'proposal-head' },
              swatch(color, undefined, patternOf(b.delegation)),
              h('strong', {}, ownerOf(b.delegation)),
              ' ',
              h('span', { class: 'proposal-kind' }, option ? `Alt ${option}` : (KINDS[b.kind] ?? b.kind)),
              b.wholeProvision && h('span', { class: 'proposal-kind' }, ' · whole provision'),
            ),
            h('span', { class: 'proposal-text' }, `[${clip(b.text)}]`),
            h('span', { class: 'proposal-where' }, where, b.at && ` · ${describeBracket(b).split(' · ').pop()}`),
          ),
          actions.length > 0 && h('span', { class: 'proposal-actions' }, actions),
        );
      };

      const render = (v: EditorView) => {
        frame = 0;
        if (v.state.doc === doc) return;
        doc = v.state.doc;
        const all = collectBrackets(doc);
        const brackets = [...all.values()];
        const { bracketed, total } = bracketedShare(doc);
        const share = total ? Math.round((bracketed / total) * 1000) / 10 : 0;
        // an alternatives group is one open question, however many options it has
        const questions = openQuestions(brackets);
        const single = questions.open - questions.alternatives;
        summary.replaceChildren(
          h('strong', {}, String(questions.open)),
          ` open question${questions.open === 1 ? '' : 's'}`,
          questions.alternatives > 0 ? ` (${single} bracket${single === 1 ? '' : 's'}, ${alternativesPhrase(questions)})` : '',
          ' · ',
          h('strong', {}, `${share}%`),
          ' of the text still in brackets',
        );
        const perDelegation = new Map<string, number>();
        // the base text's options are nobody's proposals: no chip counts them
        for (const b of brackets) if (b.delegation) perDelegation.set(b.delegation, (perDelegation.get(b.delegation) ?? 0) + 1);
        counts.replaceChildren(
          ...[...perDelegation].sort((a, b) => b[1] - a[1]).map(([d, n]) => h('li', { class: 'chip' }, swatch(safeColor(options.colorOf(d)), undefined, patternOf(d)), `${ownerOf(d)} ${n}`)),
        );
        refill(delegationFilter, 'All delegations', [...perDelegation.keys()].sort(), filters.delegation);
        const sections = [...new Set(brackets.map((b) => b.section).filter((s): s is string => Boolean(s)))];
        refill(sectionFilter, 'All sections', sections, filters.section);
        shown = brackets.filter(
          (b) => (!filters.delegation || b.delegation === filters.delegation) && (!filters.kind || b.kind === filters.kind) && (!filters.section || b.section === filters.section),
        );
        list.replaceChildren(...shown.map((b) => entry(b, all)));
        if (shown.length === 0)
          list.append(
            h(
              'li',
              { class: 'muted' },
              brackets.length
                ? 'No proposal matches these filters. Choose “All” in the filters above to see them all.'
                : `No open brackets: the text is clean. To propose other wording, select words in the text and press [ ] (${shortcutLabel('bracket')}); it will be listed here.`,
            ),
          );
        acceptAll.disabled = !shown.some((b) => b.kind !== 'alternative');
        rejectAll.disabled = shown.length === 0;
      };
      const rerender = () => {
        doc = null;
        render(view);
      };
      delegationFilter.addEventListener('change', () => ((filters.delegation = delegationFilter.value), rerender()));
      kindFilter.addEventListener('change', () => ((filters.kind = kindFilter.value), rerender()));
      sectionFilter.addEventListener('change', () => ((filters.section = sectionFilter.value), rerender()));
      acceptAll.addEventListener('click', () => {
        const ids = shown.filter((b) => b.kind !== 'alternative').map((b) => b.id);
        if (ids.length && confirm(`Accept ${ids.length} bracketed proposal${ids.length === 1 ? '' : 's'}? The brackets go and the text stays.`)) {
          void act({ action: 'accept', bracketIds: ids }, `Accepting ${ids.length}`);
        }
      });
      rejectAll.addEventListener('click', () => {
        const ids = shown.map((b) => b.id);
        if (ids.length && confirm(`Reject ${ids.length} bracketed proposal${ids.length === 1 ? '' : 's'}? Their text is deleted.`)) {
          void act({ action: 'reject', bracketIds: ids }, `Rejecting ${ids.length}`);
        }
      });
      render(view);
      return {
        update: (v) => {
          if (!frame) frame = requestAnimationFrame(() => render(v));
        },
        destroy: () => {
          cancelAnimationFrame(frame);
          panel.remove();
        },
      };
    },
  });
}

function refill(select: HTMLSelectElement, all: string, values: string[], current: string): void {
  const wanted = [all, ...values].join('\u0000');
  if (select.dataset.values !== wanted) {
    select.replaceChildren(h('option', { value: '' }, all), ...values.map((v) => h('option', { value: v }, v)));
    select.dataset.values = wanted;
  }
  select.value = values.includes(current) ? current : '';
}
