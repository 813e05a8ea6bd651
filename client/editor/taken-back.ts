import * as decoding from 'lib0/decoding';
import type { Node as PMNode } from 'prosemirror-model';
import type { WebsocketProvider } from 'y-websocket';
import { labels } from '../../shared/numbering.ts';
import { MESSAGE_TAKEN_BACK } from '../../shared/protocol.ts';
import type { TakenBackNotice } from '../../shared/protocol.ts';

/**
 * What the server took back of one of our updates (server/collab/GUARD.md). The server keeps what
 * an update may do, restores what it may not (typically a provision the chair agreed while we were
 * offline) and then sends MESSAGE_TAKEN_BACK; the restoring change itself arrives just before as an
 * ordinary update, so by the time `listener` runs the editor already shows the restored text.
 */
export function onTakenBack(provider: WebsocketProvider, listener: (notice: TakenBackNotice) => void): void {
  provider.messageHandlers[MESSAGE_TAKEN_BACK] = (_encoder, decoder) => {
    let notice: TakenBackNotice;
    try {
      const parsed = JSON.parse(decoding.readVarString(decoder)) as Partial<TakenBackNotice>;
      notice = { rules: Array.isArray(parsed.rules) ? parsed.rules : [], restored: Array.isArray(parsed.restored) ? parsed.restored : [] };
    } catch {
      // An unreadable notice must not stop the connection: the text is right already, only the words are missing.
      notice = { rules: [], restored: [] };
    }
    listener(notice);
  };
}

/**
 * The sentence telling the delegate what was not kept and why, naming each restored provision as
 * the text shows it ("b) of recalling"), e.g. "your change to b) of recalling — this provision is
 * agreed: only the chair can change it, after reopening it. Your other changes were kept."
 */
export function takenBackMessage(notice: TakenBackNotice, doc: PMNode): string {
  const named = notice.restored.map((id) => placeOf(doc, id)).filter((name): name is string => name !== null);
  const what = named.length > 0 ? `your ${named.length > 1 ? 'changes' : 'change'} to ${listed(named)}` : notice.restored.length > 0 ? 'your change to a provision' : 'part of your last change';
  const why =
    notice.rules
      .map((r) => r.message)
      .filter(Boolean)
      .join('; ') || 'it broke a rule of the working group';
  return `${what} — ${why}. Your other changes were kept.`;
}

/** "b) of recalling", "1.1 of resolves", "i) of b) of noting", "the section recalling", "paragraph 3"; null if not found. */
function placeOf(doc: PMNode, id: string): string | null {
  let found: { node: PMNode; pos: number } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.attrs.id === id) found = { node, pos };
    return !node.isTextblock;
  });
  if (!found) return null;
  const { node, pos } = found as { node: PMNode; pos: number };
  const computed = labels(doc);
  const $pos = doc.resolve(pos);
  const keywordOf = (depth: number) => $pos.node(depth).firstChild?.textContent.trim() ?? '';
  switch (node.type.name) {
    case 'section': {
      const keyword = node.firstChild?.textContent.trim();
      return keyword ? `the section ${keyword}` : 'a section';
    }
    case 'numbered_paragraph':
      return `paragraph ${computed.get(pos)?.printed ?? ''}`.trim();
    case 'provision':
    case 'sub_item': {
      const parts = [computed.get(pos)?.printed ?? ''];
      // a lettered provision's sub-item (i) says which provision it is in; 1.1 says it already
      if (node.type.name === 'sub_item' && !parts[0]!.includes('.')) parts.push(computed.get($pos.before())?.printed ?? '');
      for (let depth = $pos.depth; depth > 0; depth--) {
        if ($pos.node(depth).type.name === 'section') parts.push(keywordOf(depth));
      }
      const place = parts.filter(Boolean).join(' of ');
      return place || null;
    }
    default:
      return null;
  }
}

function listed(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : items[0]!;
}
