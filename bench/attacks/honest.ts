import * as Y from 'yjs';
import { fullClient, newTraffic } from '../clients.ts';
import type { FullClient } from '../clients.ts';
import { appendParagraph } from '../documents.ts';
import { sleep, waitFor } from '../measure.ts';
import { isConcord } from '../servers.ts';
import type { ServerProcess } from '../servers.ts';
import { TEXT_FRAGMENT } from '../../shared/protocol.ts';
import { request } from './http.ts';
import type { StatusCounts } from './http.ts';
import { countStatus } from './http.ts';
import { VENUE_ADDRESS } from './plan.ts';

/**
 * The honest side of the hostile workload: two delegates editing the document under attack, each
 * with the server's own client (reconnecting whenever it is closed), one typing a character every
 * 100 ms and the other timing its arrival; a check that the server is still up; and, for Concord,
 * the honest clients' API calls.
 */

/** A probe that has not arrived this long after it was typed is lost. */
export const LOST_AFTER_MS = 5000;
export const PROBE_INTERVAL_MS = 100;

export class HonestProbe {
  /** typedAt[k], seenAt[k]: when the k-th character (from 1) was typed, and when the reader had it. */
  readonly typedAt: number[] = [];
  readonly seenAt: number[] = [];
  #seen = 0;
  #timer: NodeJS.Timeout | null = null;
  #text: Y.XmlText | null = null;
  readonly #off: () => void;

  constructor(
    readonly typist: FullClient,
    readonly reader: FullClient,
  ) {
    const fragment = reader.doc.getXmlFragment(TEXT_FRAGMENT);
    const handler = (events: Y.YEvent<any>[]) => {
      const now = performance.now();
      for (const event of events) {
        if (!(event.target instanceof Y.XmlText)) continue;
        const match = /^probe:(x*)$/.exec(event.target.toString());
        if (!match) continue;
        for (let k = this.#seen + 1; k <= match[1]!.length; k++) this.seenAt[k] = now;
        this.#seen = Math.max(this.#seen, match[1]!.length);
      }
    };
    fragment.observeDeep(handler);
    this.#off = () => fragment.unobserveDeep(handler);
  }

  /** Characters typed so far (the next one is `typed + 1`). */
  get typed(): number {
    return this.typedAt.length === 0 ? 0 : this.typedAt.length - 1;
  }

  get seen(): number {
    return this.#seen;
  }

  /** Appends the probe's paragraph and waits until the reader has it. */
  async ready(): Promise<boolean> {
    this.#text = appendParagraph(this.typist.doc, 'probe:');
    return waitFor(() => this.reader.doc.getXmlFragment(TEXT_FRAGMENT).toString().includes('probe:'), 15_000);
  }

  start(): void {
    this.typedAt[0] = performance.now();
    this.#timer = setInterval(() => {
      this.typedAt.push(performance.now());
      this.#text!.insert(this.#text!.length, 'x');
    }, PROBE_INTERVAL_MS);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  destroy(): void {
    this.stop();
    this.#off();
  }

  /** Latencies of probes `from`..`to` (inclusive) that arrived in time, and how many did not. */
  window(from: number, to: number): { samples: number[]; lost: number; probes: number } {
    const samples: number[] = [];
    let lost = 0;
    for (let k = from; k <= to; k++) {
      const delay = (this.seenAt[k] ?? Infinity) - this.typedAt[k]!;
      if (delay <= LOST_AFTER_MS) samples.push(delay);
      else lost++;
    }
    return { samples, lost, probes: Math.max(0, to - from + 1) };
  }

  /** The first probe typed after `after` that arrived within `withinMs`: when it arrived, or undefined. */
  backToNormal(after: number, withinMs: number): number | undefined {
    for (let k = 1; k < this.typedAt.length; k++) {
      if (this.typedAt[k]! < after) continue;
      const seen = this.seenAt[k];
      if (seen !== undefined && seen - this.typedAt[k]! <= withinMs) return seen;
    }
    return undefined;
  }
}

/** Two honest delegates in document 0, both synced, with the probe's paragraph in place. */
export async function honestPair(server: ServerProcess): Promise<HonestProbe> {
  const traffic = newTraffic();
  const typist = fullClient(server, 0, traffic, { alwaysReconnect: true });
  const reader = fullClient(server, 0, traffic, { alwaysReconnect: true });
  const synced = await Promise.race([Promise.all([typist.synced, reader.synced]).then(() => true), sleep(20_000).then(() => false)]);
  if (!synced) {
    typist.destroy();
    reader.destroy();
    throw new Error('the honest clients did not sync within 20 s');
  }
  const probe = new HonestProbe(typist, reader);
  if (!(await probe.ready())) throw new Error("the probe's paragraph did not reach the reader within 15 s");
  return probe;
}

/** Whether the server answers: HTTP (its health route) and a new WebSocket's first sync, each within 5 s. */
export interface UpCheck {
  httpMs: number;
  wsMs: number;
  running: boolean;
}

export async function checkUp(server: ServerProcess): Promise<UpCheck> {
  const http = request({ port: server.port, path: server.healthPath, localAddress: '127.5.0.1', timeoutMs: 5000 }).then((a) => (a.status > 0 && a.status < 500 ? a.ms : NaN));
  const ws = (async () => {
    const started = performance.now();
    const client = fullClient(server, 0, newTraffic());
    const synced = await Promise.race([client.synced.then(() => true), sleep(5000).then(() => false)]);
    client.destroy();
    return synced ? performance.now() - started : NaN;
  })();
  const [httpMs, wsMs] = await Promise.all([http, ws]);
  return { httpMs, wsMs, running: server.running };
}

export const isUp = (check: UpCheck) => check.running && Number.isFinite(check.httpMs) && Number.isFinite(check.wsMs);

/** What the honest clients' API calls met (Concord: GET /api/me once a second each). */
export interface ApiCalls {
  statuses: StatusCounts;
  calls: number;
  worstMs: number;
}

/**
 * Each honest client calls GET /api/me with its token once a second until `stop`, both from the
 * venue's address (VENUE_ADDRESS), which the HTTP flood comes from too.
 */
export function honestApiCalls(server: ServerProcess): { stop: () => Promise<ApiCalls> } {
  const result: ApiCalls = { statuses: {}, calls: 0, worstMs: 0 };
  if (!isConcord(server.name)) return { stop: async () => result };
  const pending = new Set<Promise<unknown>>();
  const call = (address: string) => {
    result.calls++;
    const answer = request({ port: server.port, path: '/api/me', localAddress: address, headers: { authorization: `Bearer ${server.token}` }, timeoutMs: 5000 }).then((a) => {
      countStatus(result.statuses, a.status);
      result.worstMs = Math.max(result.worstMs, a.ms);
    });
    pending.add(answer);
    void answer.finally(() => pending.delete(answer));
  };
  const tick = () => [VENUE_ADDRESS, VENUE_ADDRESS].forEach(call);
  tick();
  const timer = setInterval(tick, 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(pending);
      return result;
    },
  };
}
