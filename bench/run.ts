/**
 * `npm run bench`: the workloads of ARCHITECTURE.md §5 against Concord, Hocuspocus 3, the y-websocket v2
 * reference server and a plain relay — each server in a fresh process of its own on core 0, one
 * after another, while this process generates the load on core 1. Prints one table per workload
 * and writes bench/results/<name>.{md,json}. Timings are reported, never asserted: the exit code
 * is non-zero only when a server did not converge (the smoke test). See docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Row } from './measure.ts';
import { combine, ratios, tables, targets } from './report.ts';
import { SERVERS } from './servers.ts';
import type { ServerName } from './servers.ts';
import { awarenessStorm } from './workloads/awareness-storm.ts';
import { coldLoad } from './workloads/cold-load.ts';
import { hostile } from './workloads/hostile.ts';
import { hotDocument } from './workloads/hot-document.ts';
import { manyDocuments } from './workloads/many-documents.ts';
import { syncStorm } from './workloads/sync-storm.ts';
import type { Sizes, Workload } from './workloads/workload.ts';

const WORKLOADS: readonly Workload[] = [hotDocument, manyDocuments, syncStorm, coldLoad, awarenessStorm, hostile];

const USAGE = `npm run bench [-- options]
  --quick              smoke run: small sizes, under two minutes (without hostile unless named in --workloads)
  --rounds N           run every workload N times, alternating the servers' order; report medians (default 1)
  --servers a,b        among ${SERVERS.join(', ')} (default all)
  --workloads a,b      among ${WORKLOADS.map((w) => w.key).join(', ')} (default all)
  --seconds S          seconds of typing per measurement (default 8, quick 2)
  --clients a,b        room sizes of the hot document (default 50,100,200, quick 50)
  --profile            write V8 CPU profiles of the servers to bench/results/profiles/
  --out NAME           results file name in bench/results/ (default latest, quick: quick)`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    servers: { type: 'string' },
    workloads: { type: 'string' },
    seconds: { type: 'string' },
    clients: { type: 'string' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function list<T extends string>(given: string | undefined, known: readonly T[], what: string): T[] {
  if (!given) return [...known];
  const chosen = given.split(',').map((s) => s.trim()) as T[];
  const unknown = chosen.filter((c) => !known.includes(c));
  if (unknown.length) {
    process.stderr.write(`bench: unknown ${what} ${unknown.join(', ')}; choose among ${known.join(', ')}\n`);
    process.exit(2);
  }
  return chosen;
}

const quick = values.quick!;
// The quick smoke run leaves out concord-commit unless asked for (it stays under two minutes).
const servers = values.servers || !quick ? list(values.servers, SERVERS, 'server') : SERVERS.filter((s) => s !== 'concord-commit');
// The quick smoke run leaves out the workloads too long for it (hostile: about 2 minutes even quick) unless named.
const workloads = list(
  values.workloads,
  WORKLOADS.filter((w) => values.workloads || !quick || w.inQuick !== false).map((w) => w.key),
  'workload',
).map((key) => WORKLOADS.find((w) => w.key === key)!);
const rounds = Math.max(1, Number(values.rounds) || 1);
const seconds = Number(values.seconds) || (quick ? 2 : 8);
const sizes: Sizes = quick
  ? { hotClients: [50], seconds, manyDocuments: 50, stormBytes: 400_000, coldUpdates: 2_000, awarenessClients: 30, hostileRecoverySeconds: 20 }
  : { hotClients: [50, 100, 200], seconds, manyDocuments: 500, stormBytes: 2_000_000, coldUpdates: 10_000, awarenessClients: 100, hostileRecoverySeconds: 60 };
if (values.clients)
  sizes.hotClients = values.clients
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
const resultsDir = join(import.meta.dirname, 'results');
const name = values.out ?? (quick ? 'quick' : 'latest');
const start = values.profile ? { profileDir: join(resultsDir, 'profiles') } : {};

// This process generates the load on core 1; the servers run on core 0.
try {
  execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
} catch {
  process.stderr.write('bench: could not pin the generator to core 1 (taskset); figures stay comparable within the run\n');
}

// every WebsocketProvider listens for the process's exit
process.setMaxListeners(0);
const say = (line: string) => process.stdout.write(`${line}\n`);
const began = new Date();
const loadBefore = loadavg();
say(
  `Concord benchmark${quick ? ' (quick)' : ''}: ${workloads.map((w) => w.key).join(', ')} × ${servers.join(', ')}, ${rounds} round(s), load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`,
);

const perRound: Row[][] = [];
for (let round = 0; round < rounds; round++) {
  const rows: Row[] = [];
  for (const workload of workloads) {
    const applicable = servers.filter((s) => workload.servers.includes(s));
    // alternate the order between rounds, so no server always runs first (or last) on a noisy machine
    const order = applicable.map((_, i) => applicable[(i + round) % applicable.length]!);
    for (const server of order) {
      const t0 = performance.now();
      try {
        const result = await workload.run(server, sizes, start);
        rows.push(...result);
        say(`  [${round + 1}/${rounds}] ${workload.key} · ${server}: ${result.map(summaryLine).join(' · ')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      } catch (error) {
        say(`  [${round + 1}/${rounds}] ${workload.key} · ${server}: FAILED ${(error as Error).message}`);
        rows.push({ workload: workload.key, server: server as ServerName, converged: false, figures: {}, notes: [`failed: ${(error as Error).message.split('\n')[0]}`] });
      }
    }
  }
  perRound.push(rows);
}

function summaryLine(row: Row): string {
  if (row.figures.lost !== undefined) {
    const attack = row.workload.replace(/^hostile: /, '').split(':')[0];
    return `${attack} worst ${row.latency?.max.toFixed(0)} ms, ${row.figures.lost} lost${row.figures.up ? '' : ', DOWN'}`;
  }
  const parts = [row.workload];
  if (row.latency) parts.push(`p99 ${row.latency.p99.toFixed(1)} ms`);
  if (row.figures.firstSyncMs !== undefined) parts.push(`first sync ${row.figures.firstSyncMs.toFixed(0)} ms`);
  if (row.cpuPercent !== undefined) parts.push(`CPU ${row.cpuPercent.toFixed(0)}%`);
  if (row.converged === false) parts.push('NOT CONVERGED');
  return parts.join(' ');
}

const rows = combine(perRound);
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const loadAfter = loadavg();
const header = [
  `# Benchmark results${quick ? ' (quick)' : ''}`,
  '',
  `${began.toISOString()} · Node ${process.version} · ${cpus().length} × ${cpu} · servers on core 0, generator on core 1 · ` +
    `${rounds} round(s)${rounds > 1 ? ' (medians)' : ''} · ${sizes.seconds} s per measurement · load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after`,
].join('\n');
const markdown = `${header}\n${tables(rows)}\n\n## Ratios to Concord\n\n${ratios(rows)}\n\n## Targets (issue 7)\n\n${targets(rows)}\n`;
say(`${tables(rows)}\n\nRatios to Concord (above 1: Concord is ahead)\n${ratios(rows)}\n\nTargets\n${targets(rows)}`);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `${name}.md`), markdown);
writeFileSync(
  join(resultsDir, `${name}.json`),
  `${JSON.stringify({ began: began.toISOString(), node: process.version, cpu, quick, rounds, sizes, loadBefore, loadAfter, rows, perRound }, null, 2)}\n`,
);
say(`\nwritten: bench/results/${name}.md and .json (${((Date.now() - began.getTime()) / 1000).toFixed(0)} s in all)`);
const failed = rows.filter((r) => r.converged === false);
if (failed.length) {
  say(`NOT CONVERGED: ${failed.map((r) => `${r.server} / ${r.workload}${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`).join('; ')}`);
  process.exit(1);
}
process.exit(0);
