import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { writeUpdate } from '../../server/collab/wire.ts';

/**
 * Crafted updates for the randomized negotiation: what a delegate with a script sends, built by hand
 * on a copy of its synced text. What must never reach anyone carries a marker the end of a run
 * looks for: a block with attribute values outside the schema (ATTRIB), a bracket forged in another
 * delegation's name (id `b-forged`). Text an attack types legally (beside a status it may not set,
 * in a copy whose id is taken) may stay; so may text chained to someone's coming keystrokes
 * (PENDING) when they reached the server first — it is then placeable, and judged as the
 * sender's. That it is never kept pending, to be integrated inside someone else's update, the
 * simulation checks after every attack.
 */
export const NEVER = ['ATTRIB', 'b-forged'] as const;

export type Attack = 'pending' | 'pending-delete' | 'duplicate-id' | 'move-bracket' | 'move-provision' | 'forged-bracket' | 'status' | 'attribute';
export const ATTACKS: readonly Attack[] = ['pending', 'pending-delete', 'duplicate-id', 'move-bracket', 'move-provision', 'forged-bracket', 'status', 'attribute'];

/** The frame carrying an update, as a stock client sends it (the same frame the server sends). */
export const updateFrame = (update: Uint8Array) => writeUpdate(update) as Uint8Array<ArrayBuffer>;

/** A copy of `source`'s state writing as `clientID` (to build structs in someone else's name). */
export function copyOf(source: Y.Doc, clientID: number): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  // set after: Yjs gives a document a new id when an update brings structs of its own
  doc.clientID = clientID;
  return doc;
}

/** Every element named `name` under the text. */
function elements(doc: Y.Doc, name: string): Y.XmlElement[] {
  const found: Y.XmlElement[] = [];
  const visit = (type: Y.XmlElement | Y.XmlFragment) => {
    for (const child of type.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === name) found.push(child);
      visit(child);
    }
  };
  visit(doc.getXmlFragment(TEXT_FRAGMENT));
  return found;
}

/** The text of a provision's paragraph (made, in the forger's copy, when the paragraph is empty). */
function textOfProvision(provision: Y.XmlElement): Y.XmlText {
  const paragraph = provision.get(0) as Y.XmlElement;
  const first = paragraph.get(0);
  if (first instanceof Y.XmlText) return first;
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  return text;
}

/**
 * Builds `attack` against the text in `synced` (the attacker's up-to-date copy) by `delegation`;
 * `others` are client ids of other participants (for chained, pending structs). Null when the text
 * gives the attack nothing to work on.
 */
export function craft(attack: Attack, synced: Y.Doc, delegation: string, others: number[], random: () => number): Uint8Array | null {
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const provisions = elements(synced, 'provision');
  const provision = pick(provisions);
  if (!provision) return null;
  const index = provisions.indexOf(provision);
  const forger = copyOf(synced, 1_000_000 + Math.floor(random() * 1_000_000));
  const base = Y.encodeStateVector(forger);
  const target = elements(forger, 'provision')[index]!;
  switch (attack) {
    case 'pending': {
      // text chained after another participant's coming keystrokes, in an agreed provision:
      // integrated later inside an officer's update, it would pass as the officer's edit
      const victim = pick(others);
      const agreed = provisions.findIndex((e) => e.getAttribute('status') === 'agreed' || e.getAttribute('status') === 'agreed_ad_ref');
      if (victim === undefined || agreed < 0) return null;
      const ghost = copyOf(synced, victim);
      const ghostTarget = elements(ghost, 'provision')[agreed]!;
      // fifty keystrokes ahead: the victim fills the gap soon, but the server cannot have it yet
      textOfProvision(ghostTarget).insert(0, 'g'.repeat(50));
      const chained = copyOf(ghost, forger.clientID);
      textOfProvision(elements(chained, 'provision')[agreed]!).insert(50, ' PENDING ');
      return Y.encodeStateAsUpdate(chained, Y.encodeStateVector(ghost));
    }
    case 'pending-delete': {
      const victim = pick(others);
      if (victim === undefined) return null;
      const clock = Y.decodeStateVector(Y.encodeStateVector(synced)).get(victim) ?? 0;
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, victim);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, 1000);
      return encoding.toUint8Array(e);
    }
    case 'duplicate-id': {
      const copy = target.clone();
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText('DUPLICATE copy')]);
      (target.parent as Y.XmlElement).insert((target.parent as Y.XmlElement).toArray().indexOf(target) + 1, [copy]);
      copy.delete(0, copy.length);
      copy.insert(0, [paragraph]);
      break;
    }
    case 'move-bracket': {
      // someone else's bracketed words deleted and typed again, identical, at the start of another provision
      const text = textOfProvision(target);
      let offset = 0;
      for (const op of text.toDelta() as { insert: string; attributes?: Record<string, { delegation?: string }> }[]) {
        const key = Object.keys(op.attributes ?? {}).find((k) => k.startsWith('bracket') && op.attributes![k]!.delegation !== delegation);
        if (key) {
          const destination = textOfProvision(pick(elements(forger, 'provision'))!);
          forger.transact(() => {
            text.delete(offset, op.insert.length);
            destination.insert(0, op.insert, { [key]: op.attributes![key] });
          });
          return Y.encodeStateAsUpdate(forger, base);
        }
        offset += op.insert.length;
      }
      return null;
    }
    case 'move-provision': {
      const parent = target.parent as Y.XmlElement;
      const siblings = parent.toArray();
      if (siblings.filter((s) => s instanceof Y.XmlElement && s.nodeName === 'provision').length < 2) return null;
      forger.transact(() => {
        const moved = target.clone();
        parent.delete(siblings.indexOf(target), 1);
        parent.insert(parent.length, [moved]);
      });
      break;
    }
    case 'forged-bracket': {
      const victim = delegation === 'Kenya' ? 'Brazil' : 'Kenya';
      textOfProvision(target).insert(0, 'forged bracket ', { bracket: { id: 'b-forged', delegation: victim, kind: 'contested', group: '', at: '' } });
      break;
    }
    case 'status':
      forger.transact(() => {
        target.setAttribute('status', 'agreed');
        textOfProvision(target).insert(0, 'STATUS ');
      });
      break;
    case 'attribute':
      forger.transact(() => {
        target.setAttribute('marker', 'XYZ');
        textOfProvision(target).insert(0, 'ATTRIB ');
      });
      break;
  }
  return Y.encodeStateAsUpdate(forger, base);
}
