import { Plugin, TextSelection } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import type { EditorView } from 'prosemirror-view';
import { h } from '../app/dom.ts';
import { labels } from '../../shared/numbering.ts';
import { isProposal, provisionMarker } from '../../shared/render/plain-text.ts';

/**
 * The outline beside the text: sections by keyword with their provisions (label, marker, first
 * words), or a Council document's headings. Activating an entry puts the cursor there and scrolls
 * to it, so a delegate can jump around a long text from the keyboard. The entry holding the cursor
 * is marked as current.
 */
interface Entry {
  pos: number;
  level: 0 | 1 | 2;
  label: string;
  text: string;
  marker: string | null;
}

const words = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max).replace(/\s+\S*$/, '')}…` : text);

function entriesOf(doc: PMNode): Entry[] {
  const computed = labels(doc);
  const proposal = isProposal(doc);
  const entries: Entry[] = [];
  doc.descendants((node, pos) => {
    switch (node.type.name) {
      case 'section':
        entries.push({ pos: pos + 2, level: 0, label: '', text: node.firstChild!.textContent || '(no keyword)', marker: null });
        return true;
      case 'provision':
      case 'sub_item':
        entries.push({
          pos: pos + 2,
          level: node.type.name === 'provision' ? 1 : 2,
          label: computed.get(pos)?.printed ?? '',
          text: words(node.firstChild!.textContent) || '(empty)',
          marker: proposal ? provisionMarker(node) : null,
        });
        return node.type.name === 'provision';
      case 'heading':
        entries.push({ pos: pos + 1, level: 0, label: computed.get(pos)?.printed ?? '', text: words(node.textContent), marker: null });
        return false;
      case 'annex_title':
        entries.push({ pos: pos + 1, level: 0, label: '', text: words(node.textContent), marker: null });
        return false;
      default:
        return !node.isTextblock;
    }
  });
  return entries;
}

export function outlinePlugin(mount: HTMLElement): Plugin {
  return new Plugin({
    view(view) {
      const list = h('ol', { class: 'outline-list' });
      const empty = h('p', { class: 'muted outline-empty' }, 'Sections and provisions appear here.');
      const panel = h('nav', { class: 'side-panel outline', 'aria-labelledby': 'outline-title' }, h('h2', { id: 'outline-title' }, 'Outline'), empty, list);
      mount.append(panel);
      let entries: Entry[] = [];
      let doc: PMNode | null = null;
      let frame = 0;

      const jump = (entry: Entry) => {
        const target = Math.min(entry.pos, view.state.doc.content.size);
        view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(target))).scrollIntoView());
        view.focus();
        view.domAtPos(view.state.selection.from).node.parentElement?.scrollIntoView({ block: 'center' });
      };

      const render = (v: EditorView) => {
        frame = 0;
        if (v.state.doc !== doc) {
          doc = v.state.doc;
          entries = entriesOf(doc);
          list.replaceChildren(
            ...entries.map((entry) =>
              h(
                'li',
                { class: `outline-entry level-${entry.level}` },
                h(
                  'button',
                  { type: 'button', class: 'outline-link', onclick: () => jump(entry) },
                  entry.label && h('span', { class: 'outline-label' }, entry.label),
                  h('span', { class: 'outline-text' }, entry.text),
                  entry.marker && h('span', { class: `outline-marker marker-${entry.marker.replace(/[^A-Z]/g, '').toLowerCase()}` }, entry.marker),
                ),
              ),
            ),
          );
          empty.hidden = entries.length > 0;
        }
        const at = v.state.selection.from;
        let current = -1;
        entries.forEach((entry, i) => entry.pos <= at && entry.level > 0 && (current = i));
        list.querySelectorAll('.outline-link').forEach((button, i) => {
          if (i === current) button.setAttribute('aria-current', 'true');
          else button.removeAttribute('aria-current');
        });
      };
      // Typing changes the document on every key: redraw at most once a frame.
      const schedule = (v: EditorView) => {
        if (!frame) frame = requestAnimationFrame(() => render(v));
      };
      render(view);
      return {
        update: schedule,
        destroy: () => {
          cancelAnimationFrame(frame);
          panel.remove();
        },
      };
    },
  });
}
