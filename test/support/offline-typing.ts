import * as Y from 'yjs';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';

/** A seeded random source (the same seed types the same afternoon). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** The texts of the provisions (and sub-items) of a shared text, as y-prosemirror stores them. */
export function provisionTexts(doc: Y.Doc): Y.XmlText[] {
  const found: Y.XmlText[] = [];
  const visit = (element: Y.XmlElement | Y.XmlFragment) => {
    for (const child of element.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === 'paragraph' && element instanceof Y.XmlElement && (element.nodeName === 'provision' || element.nodeName === 'sub_item')) {
        const text = child.get(0);
        if (text instanceof Y.XmlText) found.push(text);
      } else visit(child);
    }
  };
  visit(doc.getXmlFragment(TEXT_FRAGMENT));
  return found;
}

const WORDS = [
  'the',
  'Member',
  'States',
  'artificial',
  'intelligence',
  'shall',
  'encourage',
  'developing',
  'countries',
  'capacity',
  'building',
  'ITU',
  'standards',
  'ethical',
  'governance',
  'in',
  'and',
  'of',
  'to',
  'with',
];

/**
 * Types `keystrokes` keystrokes as a delegate does through an afternoon: words at the caret, now and
 * then a Backspace, now and then the caret moved within the provision or to another provision
 * (`where` picks which texts may be typed in). One keystroke, one Yjs transaction, as in the editor.
 * Returns the characters that remain typed per text (each run of words typed starts with a marker
 * so tests can find every character: `«n»`).
 */
export function typeAfternoon(doc: Y.Doc, keystrokes: number, seed: number, where: Y.XmlText[] = provisionTexts(doc)): number {
  const random = seeded(seed);
  let text = where[0]!;
  let caret = text.length;
  let typed = 0;
  for (let k = 0; k < keystrokes; k++) {
    const roll = random();
    if (roll < 0.002) {
      text = where[Math.floor(random() * where.length)]!;
      caret = Math.floor(random() * (text.length + 1));
      continue;
    }
    if (roll < 0.006) {
      caret = Math.floor(random() * (text.length + 1));
      continue;
    }
    if (roll < 0.08 && caret > 0) {
      doc.transact(() => text.delete(caret - 1, 1));
      caret--;
      typed--;
      continue;
    }
    const word = WORDS[Math.floor(random() * WORDS.length)]!;
    const ch = random() < 0.17 ? ' ' : word[Math.floor(random() * word.length)]!;
    doc.transact(() => text.insert(caret, ch));
    caret++;
    typed++;
  }
  return typed;
}
