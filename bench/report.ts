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
      ? {
          p50: pick((r) => r.latency?.p50)!,
          p95: pick((r) => r.latency?.p95)!,
          p99: pick((r) => r.latency?.p99)!,
          max: pick((r) => r.latency?.max)!,
          samples: rows.reduce((n, r) => n + (r.latency?.samples ?? 0), 0),
        }
      : undefined;
    const figures: Record<string, number> = {};
    for (const key of Object.keys(first.figures)) figures[key] = pick((r) => r.figures[key])!;
    const converged = rows.some((r) => r.converged === false) ? false : rows.every((r) => r.converged === null) ? null : true;
    return {
      workload: first.workload,
      server: first.server,
      ...(latency ? { latency } : {}),
      ...optional(
        'updatesPerSecond',
        pick((r) => r.updatesPerSecond),
      ),
      ...optional(
        'framesPerSecond',
        pick((r) => r.framesPerSecond),
      ),
      ...optional(
        'cpuPercent',
        pick((r) => r.cpuPercent),
      ),
      ...optional(
        'peakRssMiB',
        pick((r) => r.peakRssMiB),
      ),
      ...optional(
        'loopP99',
        pick((r) => r.loopP99),
      ),
      ...optional(
        'writtenMiB',
        pick((r) => r.writtenMiB),
      ),
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

/** Rows of the hostile workload: "hostile: <attack>" (bench/workloads/hostile.ts). */
const HOSTILE = 'hostile: ';
const isHostile = (workload: string) => workload.startsWith(HOSTILE);

/** One Markdown table per workload (the hostile workload: one table, a row per attack and server). */
export function tables(rows: Row[]): string {
  const out: string[] = [];
  if (rows.some((r) => isHostile(r.workload))) out.push(hostileTable(rows));
  for (const workload of [...new Set(rows.map((r) => r.workload))].filter((w) => !isHostile(w))) {
    out.push(
      `\n### ${workload}\n`,
      '| server | p50 ms | p95 ms | p99 ms | max ms | updates/s | frames/s | CPU % | peak RSS MiB | loop p99 ms | written MiB | converged | notes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    );
    for (const r of rows.filter((row) => row.workload === workload)) {
      const figures = Object.entries(r.figures)
        .filter(([key]) => FIGURE_LABELS[key])
        .map(([key, value]) => FIGURE_LABELS[key]!(value));
      const converged = r.converged === null ? 'n/a' : r.converged ? 'yes' : '**NO**';
      out.push(
        `| ${r.server} | ${fmt(r.latency?.p50)} | ${fmt(r.latency?.p95)} | ${fmt(r.latency?.p99)} | ${fmt(r.latency?.max)} | ${fmt(r.updatesPerSecond, 0)} | ${fmt(r.framesPerSecond, 0)} | ${fmt(r.cpuPercent, 0)} | ${fmt(r.peakRssMiB, 0)} | ${fmt(r.loopP99)} | ${fmt(r.writtenMiB, 2)} | ${converged} | ${[...figures, ...r.notes].join('; ')} |`,
      );
    }
  }
  return out.join('\n');
}

/** "yes", or what failed: no HTTP answer, no WebSocket sync (each within 5 s), the process gone. */
function upCell(r: Row): string {
  if (r.figures.crashed) return '**crashed**';
  if (r.figures.up) return 'yes';
  const failed = [];
  if (!Number.isFinite(r.figures.upHttpMs)) failed.push('no HTTP answer');
  if (!Number.isFinite(r.figures.upWsMs)) failed.push('no WS sync');
  return `**no** (${failed.join(', ') || 'down'})`;
}

/**
 * The hostile workload: per attack (the quiet baseline first) and server, the honest probe's
 * worst and p99 while the attack lasted, the probes lost (not there within 5 s), whether the
 * server answered half-way through, and how long after the attack a probe was under 100 ms again.
 * A server an attack does not apply to (Concord-only attacks) has a row of "—".
 */
function hostileTable(rows: Row[]): string {
  const hostile = rows.filter((r) => isHostile(r.workload));
  const servers = [...new Set(hostile.map((r) => r.server))];
  const out = [
    `\n### hostile: honest edits under floods\n`,
    '| attack | server | worst ms | p99 ms | p50 ms | probes lost | server up | back < 100 ms after s | CPU % | peak RSS MiB | loop max ms | converged | notes |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const workload of [...new Set(hostile.map((r) => r.workload))]) {
    const attack = workload.slice(HOSTILE.length);
    for (const server of servers) {
      const r = hostile.find((row) => row.workload === workload && row.server === server);
      if (!r) {
        out.push(`| ${attack} | ${server} | — | — | — | — | — | — | — | — | — | — | Concord only |`);
        continue;
      }
      const converged = r.converged === null ? 'n/a' : r.converged ? 'yes' : '**NO**';
      const lost = r.figures.lost === undefined ? '–' : `${fmt(r.figures.lost, 0)} of ${fmt(r.figures.probes, 0)}`;
      const back = r.figures.lost === undefined ? '–' : Number.isFinite(r.figures.backToNormalS) ? fmt(r.figures.backToNormalS) : '**not within the wait**';
      const up = r.figures.lost === undefined ? '–' : upCell(r);
      out.push(
        `| ${attack} | ${server} | ${fmt(r.latency?.max)} | ${fmt(r.latency?.p99)} | ${fmt(r.latency?.p50)} | ${lost} | ${up} | ${back} | ${fmt(r.cpuPercent, 0)} | ${fmt(r.peakRssMiB, 0)} | ${fmt(r.figures.loopMax)} | ${converged} | ${r.notes.join('; ')} |`,
      );
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
  /** For targets of more than one figure: the cells as shown and whether it was met. */
  shown?: { concord: string; limit: string; met: boolean | undefined };
}

/** The targets of issue 7, each with Concord's figure and the limit it is held to in this run. */
export function targets(rows: Row[]): string {
  const hot = rows
    .filter((r) => r.workload.startsWith('hot document'))
    .map((r) => r.workload)
    .at(-1);
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
  // hostile: under every flood, the worst honest probe ≤ 100 ms, the server up, no probe lost
  for (const r of rows.filter((row) => isHostile(row.workload) && row.server === 'concord' && !row.workload.startsWith(`${HOSTILE}quiet`))) {
    const attack = r.workload.slice(HOSTILE.length).split(':')[0];
    const worst = r.latency?.max;
    const measured = r.figures.lost !== undefined;
    const met = measured ? worst !== undefined && worst <= 100 && r.figures.lost === 0 && r.figures.up === 1 : undefined;
    const concord = measured ? `worst ${fmt(worst)} ms, ${fmt(r.figures.lost, 0)} lost, ${r.figures.up ? 'up' : 'down'}` : 'failed';
    list.push({ target: `hostile, ${attack}: worst honest probe ≤ 100 ms, server up, nothing lost`, concord: worst, limit: 100, unit: 'ms', shown: { concord, limit: '100 ms, 0 lost, up', met } });
  }
  const lines = ['| target | Concord | limit in this run | met |', '| --- | ---: | ---: | --- |'];
  for (const t of list) {
    if (t.shown) {
      lines.push(`| ${t.target} | ${t.shown.concord} | ${t.shown.limit} | ${t.shown.met === undefined ? '–' : t.shown.met ? 'yes' : '**no**'} |`);
      continue;
    }
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
  for (const workload of [...new Set(rows.map((r) => r.workload))].filter((w) => !isHostile(w))) {
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
