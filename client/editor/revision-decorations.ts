import { Plugin, PluginKey } from 'prosemirror-state';
import type { Node as PMNode } from 'prosemirror-model';
import { Decoration, DecorationSet } from 'prosemirror-view';
import { wordChanges } from '../../shared/revision-marks.ts';
import type { Change } from '../../shared/revision-marks.ts';
import { isProposal, provisionMarker } from '../../shared/render/plain-text.ts';

/**
 * How a proposal reads in ITU practice, drawn over the text (display only, nothing typed):
 * each provision's marker (ADD, MOD, SUP, NOC …) in the margin with its reference; in a MOD,
 * words inserted since the base text underlined and words deleted shown struck through, computed
 * word by word against the base; a SUP provision struck through as a whole.
 */
export const revisionKey = new PluginKey<DecorationSet>('itu-revisions');

/** Word changes per provision text, kept while the provision is unchanged (nodes are immutable). */
const changesCache = new WeakMap<PMNode, Change[]>();

function changesOf(item: PMNode): Change[] {
  let changes = changesCache.get(item);
  if (!changes) {
    changes = wordChanges(item.attrs.baseText as string, item.firstChild!.textContent);
    changesCache.set(item, changes);
  }
  return changes;
}

/** The document position of a character offset in a paragraph's text (atoms count as nothing, as in textContent). */
function positionOf(paragraph: PMNode, paragraphPos: number, offset: number): number {
  let seen = 0;
  let result = paragraphPos + 1 + paragraph.content.size;
  let found = false;
  paragraph.forEach((child, childOffset) => {
    if (found) return;
    const length = child.isText ? child.text!.length : child.textContent.length;
    if (offset <= seen + length && (child.isText || offset === seen)) {
      result = paragraphPos + 1 + childOffset + (child.isText ? offset - seen : 0);
      found = true;
    }
    seen += length;
  });
  return result;
}

function deletion(text: string): () => HTMLElement {
  return () => {
    const del = document.createElement('del');
    del.className = 'rev-deleted';
    del.textContent = text;
    del.setAttribute('aria-label', `deleted: ${text}`);
    del.contentEditable = 'false';
    return del;
  };
}

function decorate(doc: PMNode): DecorationSet {
  if (!isProposal(doc)) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name !== 'provision' && node.type.name !== 'sub_item') return true;
    const marker = provisionMarker(node);
    const reference = node.attrs.reference as string;
    decorations.push(
      Decoration.node(pos, pos + node.nodeSize, {
        'data-marker': reference ? `${marker} ${reference}` : marker,
        class: `marked marker-${marker.replace(/[^A-Z]/g, '').toLowerCase()}${marker.startsWith('SUP') ? ' rev-struck' : ''}`,
      }),
    );
    if ((marker === 'MOD' || marker === '(MOD)') && node.attrs.baseText !== null) {
      const paragraph = node.firstChild!;
      const paragraphPos = pos + 1;
      let offset = 0;
      for (const change of changesOf(node)) {
        if (change.kind === 'deleted') {
          decorations.push(
            Decoration.widget(positionOf(paragraph, paragraphPos, offset), deletion(change.text), {
              side: -1,
              marks: [],
              ignoreSelection: true,
              key: `del:${offset}:${change.text}`,
            }),
          );
          continue;
        }
        const end = offset + change.text.length;
        if (change.kind === 'inserted' && change.text.trim()) {
          decorations.push(Decoration.inline(positionOf(paragraph, paragraphPos, offset), positionOf(paragraph, paragraphPos, end), { class: 'rev-inserted' }));
        }
        offset = end;
      }
    }
    return true;
  });
  return DecorationSet.create(doc, decorations);
}

export function revisionPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: revisionKey,
    state: {
      init: (_, state) => decorate(state.doc),
      apply: (tr, previous) => (tr.docChanged ? decorate(tr.doc) : previous),
    },
    props: { decorations: (state) => revisionKey.getState(state) },
  });
}
