import { median } from './measure.ts';
import type { Row } from './measure.ts';
import { PEERS } from './servers.ts';
import type { ServerName } from './servers.ts';

/**
 * Results as tables: one per workload, one row per server (the median of the rounds), then each
 * peer's figures as a ratio to Concord's and the targets of issue 7 — reported, never asserted.
 */

/** Rows of several rounds folded into one per workload and server: medians, converged only if always. */
export function combine(rounds: Row[][]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const row of rounds.flat()) {
    const key = `${row.workload}\u0000${row.server}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((rows) => {
    if (rows.length === 1) return rows[0]!;
    const pick = (f: (r: Row) => number | undefined) => (rows.some((r) => f(r) !== undefined) ? median(rows.map((r) => f(r) ?? NaN)) : undefined);
    const first = rows[0]!;
    const latency = first.latency
      ? { p50: pick((r) => r.latency?.p50)!, p95: pick((r) => r.latency?.p95)!, p99: pick((r) => r.latency?.p99)!, max: pick((r) => r.latency?.max)!, samples: rows.reduce((n, r) => n + (r.latency?.samples ?? 0), 0) }
      : undefined;
    const figures: Record<string, number> = {};
    for (const key of Object.keys(first.figures)) figures[key] = pick((r) => r.figures[key])!;
    const converged = rows.some((r) => r.converged === false) ? false : rows.every((r) => r.converged === null) ? null : true;
    return {
      workload: first.workload,
      server: first.server,
      ...(latency ? { latency } : {}),
      ...optional('updatesPerSecond', pick((r) => r.updatesPerSecond)),
      ...optional('framesPerSecond', pick((r) => r.framesPerSecond)),
      ...optional('cpuPercent', pick((r) => r.cpuPercent)),
      ...optional('peakRssMiB', pick((r) => r.peakRssMiB)),
      ...optional('loopP99', pick((r) => r.loopP99)),
      ...optional('writtenMiB', pick((r) => r.writtenMiB)),
      converged,
      figures,
      notes: [...new Set(rows.flatMap((r) => r.notes))],
    };
  });
}

const optional = <K extends string>(key: K, value: number | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, number>));

function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(digits);
}

const FIGURE_LABELS: Record<string, (v: number) => string> = {
  firstSyncMs: (v) => `first sync ${fmt(v, 0)} ms`,
  firstSyncMaxMs: (v) => `slowest ${fmt(v, 0)} ms`,
  rssPerDocumentKiB: (v) => `${fmt(v, 0)} KiB RSS per document`,
  baselineP99: (v) => `probe p99 without the storm ${fmt(v)} ms`,
  stormRatio: (v) => `×${fmt(v, 2)} with the storm`,
  loads: (v) => `${fmt(v, 0)} full loads`,
  loadMs: (v) => `a load took ${fmt(v, 0)} ms (median)`,
  documentMiB: (v) => `document ${fmt(v, 2)} MiB`,
  storedRows: (v) => `${fmt(v, 0)} stored updates`,
};

/** One Markdown table per workload. */
export function tables(rows: Row[]): string {
  const out: string[] = [];
  for (const workload of [...new Set(rows.map((r) => r.workload))]) {
    out.push(
      `\n### ${workload}\n`,
      '| server | p50 ms | p95 ms | p99 ms | max ms | updates/s | frames/s | CPU % | peak RSS MiB | loop p99 ms | written MiB | converged | notes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    );
    for (const r of rows.filter((row) => row.workload === workload)) {
      const figures = Object.entries(r.figures).filter(([key]) => FIGURE_LABELS[key]).map(([key, value]) => FIGURE_LABELS[key]!(value));
      const converged = r.converged === null ? 'n/a' : r.converged ? 'yes' : '**NO**';
      out.push(`| ${r.server} | ${fmt(r.latency?.p50)} | ${fmt(r.latency?.p95)} | ${fmt(r.latency?.p99)} | ${fmt(r.latency?.max)} | ${fmt(r.updatesPerSecond, 0)} | ${fmt(r.framesPerSecond, 0)} | ${fmt(r.cpuPercent, 0)} | ${fmt(r.peakRssMiB, 0)} | ${fmt(r.loopP99)} | ${fmt(r.writtenMiB, 2)} | ${converged} | ${[...figures, ...r.notes].join('; ')} |`);
    }
  }
  return out.join('\n');
}

/** A figure of a server in a workload, or undefined. */
function figure(rows: Row[], workload: string, server: ServerName, read: (r: Row) => number | undefined): number | undefined {
  const row = rows.find((r) => r.workload === workload && r.server === server);
  const value = row ? read(row) : undefined;
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

interface Target {
  target: string;
  concord: number | undefined;
  limit: number | undefined;
  unit: string;
}

/** The targets of issue 7, each with Concord's figure and the limit it is held to in this run. */
export function targets(rows: Row[]): string {
  const hot = rows.filter((r) => r.workload.startsWith('hot document')).map((r) => r.workload).at(-1);
  const many = rows.find((r) => r.workload.includes('documents ×'))?.workload;
  const cold = rows.find((r) => r.workload.startsWith('cold load'))?.workload;
  const storm = rows.find((r) => r.workload.startsWith('initial-sync storm'))?.workload;
  const awareness = rows.find((r) => r.workload.startsWith('awareness storm'))?.workload;
  const bestPeer = (workload: string | undefined, read: (r: Row) => number | undefined) => {
    if (!workload) return undefined;
    const values = PEERS.map((peer) => figure(rows, workload, peer, read)).filter((v): v is number => v !== undefined);
    return values.length ? Math.min(...values) : undefined;
  };
  const p99 = (r: Row) => r.latency?.p99;
  const list: Target[] = [];
  if (hot) {
    list.push({ target: `${hot}: p99 ≤ 50 ms`, concord: figure(rows, hot, 'concord', p99), limit: 50, unit: 'ms' });
    const peer = bestPeer(hot, p99);
    list.push({ target: `${hot}: p99 ≤ 0.7 × best peer's`, concord: figure(rows, hot, 'concord', p99), limit: peer === undefined ? undefined : 0.7 * peer, unit: 'ms' });
    const relay = figure(rows, hot, 'relay', p99);
    list.push({ target: `${hot}: p99 ≤ 2 × the relay's`, concord: figure(rows, hot, 'concord', p99), limit: relay === undefined ? undefined : 2 * relay, unit: 'ms' });
    // the same, broadcasting once committed rather than once on disk (CONCORD_DURABILITY=commit)
    const commit = figure(rows, hot, 'concord-commit', p99);
    if (commit !== undefined) {
      list.push({ target: `${hot}, durability commit: p99 ≤ 0.7 × best peer's`, concord: commit, limit: peer === undefined ? undefined : 0.7 * peer, unit: 'ms' });
      list.push({ target: `${hot}, durability commit: p99 ≤ 2 × the relay's`, concord: commit, limit: relay === undefined ? undefined : 2 * relay, unit: 'ms' });
    }
  }
  if (many) {
    const perDocument = (r: Row) => r.figures.rssPerDocumentKiB;
    list.push({ target: `${many}: RSS per document ≤ best peer's`, concord: figure(rows, many, 'concord', perDocument), limit: bestPeer(many, perDocument), unit: 'KiB' });
  }
  if (cold) list.push({ target: `${cold}: first sync ≤ 100 ms`, concord: figure(rows, cold, 'concord', (r) => r.figures.firstSyncMs), limit: 100, unit: 'ms' });
  if (storm) {
    const base = figure(rows, storm, 'concord', (r) => r.figures.baselineP99);
    list.push({ target: `${storm}: probe p99 ≤ 2 × without the storm`, concord: figure(rows, storm, 'concord', p99), limit: base === undefined ? undefined : 2 * base, unit: 'ms' });
  }
  if (awareness) {
    const cpu = (r: Row) => r.cpuPercent;
    const peer = bestPeer(awareness, cpu);
    list.push({ target: `${awareness}: CPU ≤ 0.5 × best peer's`, concord: figure(rows, awareness, 'concord', cpu), limit: peer === undefined ? undefined : 0.5 * peer, unit: '%' });
  }
  const lines = ['| target | Concord | limit in this run | met |', '| --- | ---: | ---: | --- |'];
  for (const t of list) {
    const met = t.concord === undefined || t.limit === undefined ? '–' : t.concord <= t.limit ? 'yes' : '**no**';
    lines.push(`| ${t.target} | ${fmt(t.concord)} ${t.unit} | ${fmt(t.limit)} ${t.unit} | ${met} |`);
  }
  return lines.join('\n');
}

/** Each peer's figure divided by Concord's, for the headline numbers (above 1: Concord is ahead). */
export function ratios(rows: Row[]): string {
  const lines = ['| workload | figure | hocuspocus ÷ concord | y-websocket ÷ concord | relay ÷ concord |', '| --- | --- | ---: | ---: | ---: |'];
  const headline: [string, (r: Row) => number | undefined][] = [
    ['p99 latency', (r) => r.latency?.p99],
    ['CPU', (r) => r.cpuPercent],
    ['peak RSS', (r) => r.peakRssMiB],
    ['first sync', (r) => r.figures.firstSyncMs],
    ['RSS per document', (r) => r.figures.rssPerDocumentKiB],
  ];
  for (const workload of [...new Set(rows.map((r) => r.workload))]) {
    for (const [label, read] of headline) {
      const concord = figure(rows, workload, 'concord', read);
      if (concord === undefined || concord === 0) continue;
      const cell = (server: ServerName) => {
        const value = figure(rows, workload, server, read);
        return value === undefined ? '–' : `${fmt(value / concord, 2)}`;
      };
      lines.push(`| ${workload} | ${label} | ${cell('hocuspocus')} | ${cell('y-websocket')} | ${cell('relay')} |`);
    }
  }
  return lines.join('\n');
}
