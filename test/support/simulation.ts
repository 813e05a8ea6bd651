import * as Y from 'yjs';
import type { Node as PMNode } from 'prosemirror-model';
import { EditorState, TextSelection } from 'prosemirror-state';
import type { Command } from 'prosemirror-state';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import { schema } from '../../shared/schema/index.ts';
import { TEXT_FRAGMENT, CLOSE } from '../../shared/protocol.ts';
import { strictDocument } from '../../shared/yjs/strict-document.ts';
import { changedBlocks, refusal } from '../../shared/brackets/rules.ts';
import type { Actor } from '../../shared/brackets/rules.ts';
import { collectBrackets } from '../../shared/brackets/model.ts';
import { bracketSelection, offerAlternative, withdrawBracket } from '../../shared/brackets/commands.ts';
import { splitProvision } from '../../shared/editing/provisions.ts';
import { labels } from '../../shared/numbering.ts';
import { connect, synced, until } from './client.ts';
import type { TestClient } from './client.ts';
import type { TestServer } from './server.ts';
import { seedNegotiation } from './negotiation.ts';
import { ATTACKS, NEVER, craft, updateFrame } from './adversary.ts';

/**
 * A seeded, reproducible negotiation through the real server: simulated participants type, insert
 * and delete provisions, bracket, offer alternatives and take brackets back (each checked by the
 * same rules as the editor before sending), the chair decides over HTTP, clients drop off, keep
 * editing offline and come back; an adversary mixes crafted updates in (adversary.ts: pending
 * structs, copied ids, moves, forged attributions and statuses). At the end every replica, a
 * newcomer and storage must agree, the rules must have held, and no honest participant was closed.
 */
export interface SimulationReport {
  seed: number;
  steps: number;
  actions: Record<string, number>;
  refusalsBySever: number;
  reloads: number;
  /** Updates of which the server took back what broke a rule (the adversary's, and stale honest ones). */
  compensations: number;
}

/** Mulberry32: small, fast, good enough to drive a simulation from one seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Participant {
  username: string;
  actor: Actor;
  /** Whom this participant brackets for. */
  bracketAs: string;
  client: TestClient;
  offline: boolean;
}

const ROSTER: { username: string; actor: Actor; bracketAs: string }[] = [
  { username: 'chair', actor: { role: 'chair', delegation: null }, bracketAs: 'Chair' },
  { username: 'secretariat', actor: { role: 'secretariat', delegation: null }, bracketAs: 'Kenya' },
  { username: 'brazil', actor: { role: 'delegate', delegation: 'Brazil' }, bracketAs: 'Brazil' },
  { username: 'brazil', actor: { role: 'delegate', delegation: 'Brazil' }, bracketAs: 'Brazil' },
  { username: 'kenya', actor: { role: 'delegate', delegation: 'Kenya' }, bracketAs: 'Kenya' },
  { username: 'kenya', actor: { role: 'delegate', delegation: 'Kenya' }, bracketAs: 'Kenya' },
  { username: 'kenya', actor: { role: 'delegate', delegation: 'Kenya' }, bracketAs: 'Kenya' },
  { username: 'observer', actor: { role: 'observer', delegation: null }, bracketAs: '' },
];

const WORDS = ['inclusive', 'trustworthy', 'capacity', 'developing', 'countries', 'standards', 'AI', 'governance', 'ethical', 'the', 'and', 'of', 'shall', 'may'];

export async function simulate(server: TestServer, seed: number, steps: number): Promise<SimulationReport> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const report: SimulationReport = { seed, steps, actions: {}, refusalsBySever: 0, reloads: 0, compensations: 0 };
  const count = (name: string) => (report.actions[name] = (report.actions[name] ?? 0) + 1);
  seedNegotiation(server);
  const people: Participant[] = ROSTER.map((r) => ({ ...r, client: connect(server, r.username), offline: false }));
  let adversary = connect(server, 'brazil');
  await Promise.all([...people.map((p) => synced(p.client)), synced(adversary)]);

  const docOf = (client: TestClient): PMNode => strictDocument(client.doc.getXmlFragment(TEXT_FRAGMENT), schema);

  /** Applies a command as the editor would: only if the rules allow it (else nothing is sent). */
  const edit = (p: Participant, make: (doc: PMNode) => Command | null, at?: (doc: PMNode) => number): boolean => {
    const fragment = p.client.doc.getXmlFragment(TEXT_FRAGMENT);
    const { doc, meta } = initProseMirrorDoc(fragment, schema);
    const command = make(doc);
    if (!command) return false;
    let state = EditorState.create({ doc });
    if (at) state = state.apply(state.tr.setSelection(TextSelection.near(doc.resolve(Math.min(at(doc), doc.content.size)))));
    let next: EditorState | null = null;
    if (!command(state, (tr) => (next = state.apply(tr)))) return false;
    const after = (next as EditorState | null)?.doc;
    if (!after) return false;
    const { before, after: changed } = changedBlocks(doc, after);
    if (refusal(before, changed, p.actor)) return false;
    p.client.doc.transact(() => updateYFragment(p.client.doc, fragment, after, meta), 'editor');
    return true;
  };

  /** Text positions inside open provisions' paragraphs (never in agreed ones). */
  const textPositions = (doc: PMNode): { from: number; to: number }[] => {
    const out: { from: number; to: number }[] = [];
    doc.descendants((node, pos) => {
      if (node.type.name === 'provision' && node.attrs.status !== 'open') return false;
      if (node.type.name === 'paragraph') {
        out.push({ from: pos + 1, to: pos + node.nodeSize - 1 });
        return false;
      }
      return true;
    });
    return out;
  };

  const reload = async (p: Participant) => {
    p.client.destroy();
    p.client = connect(server, p.username);
    p.offline = false;
    report.reloads++;
    await synced(p.client);
  };

  for (let step = 0; step < steps; step++) {
    if (random() < 0.08) {
      // the adversary sends a crafted update on its own socket (its stock client's copy stays honest)
      if (adversary.closes.some((c) => c.code === CLOSE.refused) || !adversary.provider.wsconnected) {
        adversary.destroy();
        adversary = connect(server, 'brazil');
        await synced(adversary);
      }
      const attack = pick(ATTACKS);
      const update = craft(
        attack,
        adversary.doc,
        'Brazil',
        people.map((q) => q.client.doc.clientID),
        random,
      );
      if (update) {
        (adversary.provider.ws as WebSocket | null)?.send(updateFrame(update));
        count(`attack ${attack}`);
        await new Promise((r) => setTimeout(r, 10));
        // the server never keeps what it could not place (it would be integrated inside a later update of someone else)
        const current = new Y.Doc();
        Y.applyUpdate(current, server.app.hub.state(server.documentId));
        const pending = current.store.pendingStructs !== null || current.store.pendingDs !== null;
        current.destroy();
        if (pending) throw new Error(`seed ${seed}: the server holds content it could not place, after a ${attack} attack`);
      }
      continue;
    }
    const p = pick(people);
    if (p.client.closes.some((c) => c.code === CLOSE.refused)) {
      report.refusalsBySever++;
      await reload(p);
      continue;
    }
    const roll = random();
    if (roll < 0.06) {
      // go offline, or come back (its edits meanwhile are sent late, on reconnection)
      if (p.offline) p.client.provider.connect();
      else p.client.provider.disconnect();
      p.offline = !p.offline;
      count(p.offline ? 'disconnect' : 'reconnect');
      continue;
    }
    if (p.actor.role === 'observer') {
      // observers only send what the server drops
      edit({ ...p, actor: { role: 'chair', delegation: null } }, () => (state, dispatch) => {
        dispatch?.(state.tr.insertText('observer text', 2));
        return true;
      });
      count('observer write (dropped)');
      // the server drops it: the observer's own copy now differs, so it starts afresh (the app
      // never lets an observer type; this is a forged client)
      await new Promise((r) => setTimeout(r, 20));
      await reload(p);
      continue;
    }
    const doc = docOf(p.client);
    const spots = textPositions(doc);
    if (spots.length === 0) continue;
    const spot = pick(spots);
    const inside = () => spot.from + Math.floor(random() * (spot.to - spot.from + 1));
    if (p.actor.role === 'chair' && roll < 0.25 && !p.offline) {
      const brackets = [...collectBrackets(doc).values()];
      const provisions: string[] = [];
      doc.descendants((node) => {
        if (node.type.name === 'provision') provisions.push(node.attrs.id as string);
        return !node.isTextblock;
      });
      const choice = random();
      let body: object | null = null;
      if (choice < 0.7 && brackets.length) {
        const b = pick(brackets);
        body = b.kind === 'alternative' ? { action: 'choose', optionId: b.id } : { action: random() < 0.5 ? 'accept' : 'reject', bracketIds: [b.id] };
      } else if (provisions.length) {
        body = { action: 'status', provisionId: pick(provisions), status: pick(['open', 'agreed_ad_ref', 'agreed']) };
      }
      if (body) {
        const response = await server.app.inject({
          method: 'POST',
          url: `/api/documents/${server.documentId}/decisions`,
          headers: { authorization: `Bearer ${server.users.chair!.token}` },
          payload: body,
        });
        count(`decision ${response.statusCode}`);
      }
      continue;
    }
    if (roll < 0.45) {
      const text = ` ${pick(WORDS)}`;
      if (edit(p, () => (state, dispatch) => (dispatch?.(state.tr.insertText(text)), true), inside)) count('type');
    } else if (roll < 0.55) {
      if (
        edit(
          p,
          () => splitProvision,
          () => spot.to,
        )
      )
        count('new provision');
    } else if (roll < 0.6) {
      const ok = edit(
        p,
        (d) => {
          const $pos = d.resolve(spot.from);
          const depth = $pos.depth - 1;
          if ($pos.node(depth).type.name !== 'provision') return null;
          const section = $pos.node(depth - 1);
          let provisions = 0;
          section.forEach((c) => c.type.name === 'provision' && provisions++);
          if (provisions < 2) return null;
          return (state, dispatch) => (dispatch?.(state.tr.delete($pos.before(depth), $pos.after(depth))), true);
        },
        () => spot.from,
      );
      if (ok) count('delete provision');
    } else if (roll < 0.75) {
      const from = inside();
      const to = Math.min(spot.to, from + 1 + Math.floor(random() * 12));
      const ok = edit(p, () => (state, dispatch) => {
        const selected = state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
        return bracketSelection(p.bracketAs, random() < 0.2 ? 'awaiting' : 'contested')(selected, dispatch);
      });
      if (ok) count('bracket');
    } else if (roll < 0.85) {
      const from = inside();
      const to = Math.min(spot.to, from + 1 + Math.floor(random() * 10));
      const ok = edit(p, () => (state, dispatch) => {
        const selected = state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
        return offerAlternative(p.bracketAs, pick(WORDS))(selected, dispatch);
      });
      if (ok) count('alternative');
    } else {
      const own = [...collectBrackets(doc).values()].filter((b) => b.delegation === p.bracketAs);
      if (own.length && edit(p, () => withdrawBracket(pick(own).id))) count('withdraw');
    }
    if (step % 10 === 0) await new Promise((r) => setTimeout(r, 5));
  }

  // everyone back online; refused ones reload
  for (const p of people) {
    if (p.offline) p.client.provider.connect();
    p.offline = false;
  }
  await new Promise((r) => setTimeout(r, 300));
  for (const p of people) {
    if (p.client.closes.some((c) => c.code === CLOSE.refused)) {
      report.refusalsBySever++;
      await reload(p);
    }
  }
  await Promise.all(people.map((p) => synced(p.client)));
  const snapshot = (doc: Y.Doc) => Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))).toString('hex');
  const storedSnapshot = () => {
    const stored = server.stores.log.replay(server.documentId);
    const s = snapshot(stored);
    stored.destroy();
    return s;
  };
  try {
    await until(
      () => {
        const target = storedSnapshot();
        return people.every((p) => snapshot(p.client.doc) === target);
      },
      `seed ${seed}: every replica to converge with storage`,
      20_000,
    );
  } catch (error) {
    const target = storedSnapshot();
    const differing = people
      .filter((p) => snapshot(p.client.doc) !== target)
      .map((p) => `${p.username}${p.client.provider.wsconnected ? '' : ' (disconnected)'} closes=${JSON.stringify(p.client.closes)}`);
    throw new Error(`${(error as Error).message}; differing: ${differing.join('; ')}`);
  }
  if (docOf(people[0]!.client).textContent.includes('observer text')) throw new Error(`seed ${seed}: an observer's write got through`);

  // identical, strictly schema-valid, numbered; a newcomer sees the same; no rule broken in the result
  const final = docOf(people[0]!.client);
  for (const p of people) if (!docOf(p.client).eq(final)) throw new Error(`seed ${seed}: ${p.username}'s replica differs`);
  const newcomer = connect(server, 'observer');
  await synced(newcomer);
  if (!docOf(newcomer).eq(final)) throw new Error(`seed ${seed}: a newcomer sees a different text`);
  newcomer.destroy();
  labels(final); // numbering computes on the final structure
  for (const b of collectBrackets(final).values()) {
    // the words an alternative was offered to stay the text's: an option attributed to nobody
    const baseOption = b.delegation === '' && b.kind === 'alternative';
    if (!baseOption && !['Brazil', 'Kenya', 'Chair'].includes(b.delegation)) throw new Error(`seed ${seed}: a bracket attributed to "${b.delegation}"`);
  }
  // the rules held against the adversary
  const written = people[0]!.client.doc.getXmlFragment(TEXT_FRAGMENT).toString();
  const stored = server.stores.log.replay(server.documentId);
  const storedText = stored.getXmlFragment(TEXT_FRAGMENT).toString();
  stored.destroy();
  for (const marker of NEVER) {
    if (written.includes(marker) || storedText.includes(marker)) throw new Error(`seed ${seed}: crafted content (${marker}) reached the text`);
  }
  const ids = new Set<string>();
  final.descendants((node) => {
    if ('id' in node.attrs) {
      const id = node.attrs.id as string;
      if (id === '' || ids.has(id)) throw new Error(`seed ${seed}: provision id "${id}" is blank or taken twice`);
      ids.add(id);
    }
    if (node.attrs.marker === 'XYZ') throw new Error(`seed ${seed}: an attribute value outside the schema was stored`);
    return true;
  });
  if (report.refusalsBySever > 0) throw new Error(`seed ${seed}: ${report.refusalsBySever} honest participants were closed by the server`);
  report.compensations = server.app.hub.counters.compensations;
  for (const p of people) p.client.destroy();
  adversary.destroy();
  return report;
}
