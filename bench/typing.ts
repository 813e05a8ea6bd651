import * as Y from 'yjs';
import { appendParagraph } from './documents.ts';
import { sleep, waitFor } from './measure.ts';
import { TEXT_FRAGMENT } from '../shared/protocol.ts';
import type { FullClient } from './clients.ts';

export interface TypingOptions {
  seconds: number;
  /** Characters per second per typist. */
  cps: number;
  /** Cursor moves per second per typist (awareness); 0 for none. */
  cursorsHz: number;
  /** Distinguishes the paragraphs of this run from earlier ones in the same document. */
  label: string;
}

export interface TypingResult {
  /** Milliseconds from a keystroke to its arrival at each observer. */
  samples: number[];
  keystrokes: number;
  /** How long the typing lasted (from the first possible keystroke to the last). */
  seconds: number;
  /** Every observer saw every keystroke. */
  complete: boolean;
}

/**
 * Typists each own a paragraph "<label>t<i>:" and append one "x" per keystroke, stamping the time;
 * observers (other full clients in this process) read the paragraph lengths as updates arrive, so
 * each keystroke gives one latency sample per observer, end to end through the server.
 */
export async function typing(typists: FullClient[], observers: FullClient[], options: TypingOptions): Promise<TypingResult> {
  const { seconds, cps, cursorsHz, label } = options;
  const pattern = new RegExp(`^${label}t(\\d+):(x*)$`);
  const typedAt = typists.map(() => [] as number[]);
  const seen = observers.map(() => typists.map(() => 0));
  const samples: number[] = [];
  const handlers = observers.map((observer, o) => {
    const handler = (events: Y.YEvent<any>[]) => {
      const now = performance.now();
      for (const event of events) {
        if (!(event.target instanceof Y.XmlText)) continue;
        const match = pattern.exec(event.target.toString());
        if (!match) continue;
        const t = Number(match[1]);
        const count = match[2]!.length;
        for (let k = seen[o]![t]! + 1; k <= count; k++) if (typedAt[t]![k] !== undefined) samples.push(now - typedAt[t]![k]!);
        seen[o]![t] = Math.max(seen[o]![t]!, count);
      }
    };
    observer.doc.getXmlFragment(TEXT_FRAGMENT).observeDeep(handler);
    return () => observer.doc.getXmlFragment(TEXT_FRAGMENT).unobserveDeep(handler);
  });
  const texts = typists.map((typist, i) => appendParagraph(typist.doc, `${label}t${i}:`));
  // the paragraphs reach everyone before the clock starts
  await waitFor(() => observers.every((o) => typists.every((_, i) => o.doc.getXmlFragment(TEXT_FRAGMENT).toString().includes(`${label}t${i}:`))), 10_000);
  const counts = typists.map(() => 0);
  const timers: NodeJS.Timeout[] = [];
  const period = 1000 / cps;
  typists.forEach((typist, i) => {
    // typists are not in step: each starts at its own moment of the first period
    timers.push(
      setTimeout(
        () => {
          timers.push(
            setInterval(() => {
              const k = ++counts[i]!;
              typedAt[i]![k] = performance.now();
              texts[i]!.insert(texts[i]!.length, 'x');
            }, period),
          );
          if (cursorsHz) timers.push(setInterval(() => typist.awareness.setLocalStateField('cursor', { anchor: counts[i], head: counts[i] }), 1000 / cursorsHz));
        },
        (i * period) / typists.length,
      ),
    );
  });
  const began = performance.now();
  await sleep(seconds * 1000);
  timers.forEach((timer) => clearInterval(timer));
  const typed = (performance.now() - began) / 1000;
  const complete = await waitFor(() => seen.every((perTypist) => perTypist.every((n, t) => n >= counts[t]!)), 10_000);
  handlers.forEach((off) => off());
  return { samples, keystrokes: counts.reduce((a, b) => a + b, 0), seconds: typed, complete };
}
