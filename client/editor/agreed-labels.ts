import { Plugin, PluginKey } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { Decoration, DecorationSet } from 'prosemirror-view';
import type { DecisionEntry } from '../../shared/api.ts';
import { h } from '../app/dom.ts';

/**
 * An agreed provision says so in the text: a small label at its end, not part of the text (a
 * widget: copying the provision copies its words only, and the numbering is untouched), saying
 * that it is locked, by whom and when — read from the decision log — and what a delegate does to
 * change it: ask the chair to reopen it. The chair's label has the Reopen button instead, which
 * takes the ordinary status decision.
 */
export interface AgreedLabelsOptions {
  isChair: boolean;
  /** Whether the reader edits (an observer is not told to ask the chair). */
  canEdit: boolean;
  /** The document's decision log (who set each status, when). */
  decisions(): Promise<DecisionEntry[]>;
  /** Reopens a provision (the chair's status decision); resolves with an error message or null. */
  reopen(provisionId: string): Promise<string | null>;
  /** Tells the chair why the provision could not be reopened. */
  refuse(message: string): void;
}

interface Setter {
  by: string;
  at: string;
}

interface LabelsState {
  setters: Map<string, Setter>;
  decorations: DecorationSet;
}

const key = new PluginKey<LabelsState>('agreed-labels');
const STATUS_TEXT: Record<string, string> = { agreed: 'Agreed', agreed_ad_ref: 'Agreed ad ref.' };

/** "2 Dec 14:05", in the reader's own time. */
function when(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  const month = date.toLocaleString('en-GB', { month: 'short' });
  return `${date.getDate()} ${month} ${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function lockedProvisions(doc: PMNode): { pos: number; node: PMNode }[] {
  const found: { pos: number; node: PMNode }[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'provision') {
      if (STATUS_TEXT[node.attrs.status as string]) found.push({ pos, node });
      return false;
    }
    return !node.isTextblock;
  });
  return found;
}

function decorate(doc: PMNode, setters: Map<string, Setter>, options: AgreedLabelsOptions): DecorationSet {
  const decorations: Decoration[] = [];
  for (const { pos, node } of lockedProvisions(doc)) {
    const id = node.attrs.id as string;
    const status = STATUS_TEXT[node.attrs.status as string]!;
    const setter = setters.get(id);
    const who = setter ? `the Chair (${setter.by})` : 'the Chair';
    const on = setter && when(setter.at) ? ` on ${when(setter.at)}` : '';
    const paragraph = node.firstChild!;
    decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: 'has-lock-label' }));
    decorations.push(
      Decoration.widget(
        pos + paragraph.nodeSize,
        () => {
          const label = h('span', { class: 'lock-label', contenteditable: 'false' });
          if (options.isChair) {
            const reopen = h('button', { type: 'button', class: 'lock-reopen', title: `Reopen this provision (set by ${who}${on})` }, 'Reopen');
            reopen.addEventListener('click', async () => {
              reopen.disabled = true;
              const error = await options.reopen(id);
              if (error) {
                reopen.disabled = false;
                options.refuse(error);
              }
            });
            label.append(`${status} — `, reopen);
          } else {
            label.append(`${status} — locked by ${who}${on}.${options.canEdit ? ' Ask the chair to reopen it.' : ''}`);
          }
          return label;
        },
        { side: 1, ignoreSelection: true, stopEvent: () => true, key: `lock:${id}:${status}:${who}${on}` },
      ),
    );
  }
  return DecorationSet.create(doc, decorations);
}

export function agreedLabelsPlugin(options: AgreedLabelsOptions): Plugin<LabelsState> {
  return new Plugin<LabelsState>({
    key,
    state: {
      init: (_, state) => ({ setters: new Map(), decorations: decorate(state.doc, new Map(), options) }),
      apply(tr, value, _old, state) {
        const setters = tr.getMeta(key) as Map<string, Setter> | undefined;
        if (!setters && !tr.docChanged) return value;
        const known = setters ?? value.setters;
        return { setters: known, decorations: decorate(state.doc, known, options) };
      },
    },
    props: { decorations: (state) => key.getState(state)?.decorations },
    view(view) {
      let asked = '';
      let gone = false;
      /**
       * Who set the status of each locked provision: asked of the log when the locked set changes.
       * The server stores a decision's record in the same transaction as the change it makes, before
       * anyone sees the change, so the log already holds it (a status restored with a version has no
       * decision: its label says "the Chair").
       */
      const learn = async () => {
        const entries = await options.decisions().catch(() => null);
        if (gone || !entries) return;
        const setters = new Map<string, Setter>();
        // newest first: the first status decision met for a provision is the one in force
        for (const entry of entries) {
          if (entry.action === 'status' && entry.provisionId && entry.undoneBy === null && !setters.has(entry.provisionId)) setters.set(entry.provisionId, { by: entry.by, at: entry.at });
        }
        view.dispatch(view.state.tr.setMeta(key, setters));
      };
      const update = () => {
        const locked = lockedProvisions(view.state.doc)
          .map(({ node }) => `${node.attrs.id}:${node.attrs.status}`)
          .join(' ');
        if (locked === asked) return;
        asked = locked;
        if (locked) void learn();
      };
      update();
      return {
        update,
        destroy: () => {
          gone = true;
        },
      };
    },
  });
}
