import * as Y from 'yjs';
import { openWindow } from './process-stats.ts';
import type { ServerProcess, ServerName } from './servers.ts';

/** Latency percentiles in milliseconds. */
export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

export function summarize(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? NaN, samples: sorted.length };
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One result: a workload on a server. Numbers are NaN/absent when they do not apply. */
export interface Row {
  workload: string;
  server: ServerName;
  latency?: Latency;
  /** Updates (or awareness changes) the clients sent per second. */
  updatesPerSecond?: number;
  /** Frames all clients received per second. */
  framesPerSecond?: number;
  cpuPercent?: number;
  peakRssMiB?: number;
  loopP99?: number;
  writtenMiB?: number;
  /** All replicas (and the stored state, where there is one) ended identical; null when not applicable. */
  converged: boolean | null;
  /** Workload-specific figures (first sync ms, RSS per document, probe p99 without the storm…). */
  figures: Record<string, number>;
  notes: string[];
}

/** Server CPU, peak RSS, bytes written and event-loop delay over a stretch of a workload. */
export async function openMeasurement(
  server: ServerProcess,
): Promise<() => Promise<{ seconds: number; cpuPercent: number; peakRssMiB: number; writtenMiB: number; loopP99: number; loopMax: number }>> {
  server.resetLoop();
  const close = openWindow(server.pid);
  return async () => {
    const stats = close();
    const loop = await server.readLoop();
    return { ...stats, loopP99: loop.p99, loopMax: loop.max };
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds or `ms` pass; says which. */
export async function waitFor(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** What must be equal for two replicas of a document to have converged: state vector and text. */
export function fingerprint(doc: Y.Doc): string {
  return `${Buffer.from(Y.encodeStateVector(doc)).toString('base64')}|${doc.getXmlFragment('prosemirror').toString()}`;
}
