import { monitorEventLoopDelay } from 'node:perf_hooks';
import { checkUp, honestApiCalls, honestPair, isUp, LOST_AFTER_MS } from '../attacks/honest.ts';
import type { ApiCalls, HonestProbe, UpCheck } from '../attacks/honest.ts';
import { GUESS_ADDRESSES, GUESSES_PER_ADDRESS, HTTP_FLOOD_MIN, LOGIN_ADDRESSES, LOGIN_PER_ADDRESS, SLOTS } from '../attacks/plan.ts';
import type { AttackKey, AttackPlan, AttackResult } from '../attacks/plan.ts';
import { Attacker } from '../attacks/spawn.ts';
import { fingerprint, openMeasurement, sleep, summarize, waitFor } from '../measure.ts';
import type { Row } from '../measure.ts';
import { isConcord, ServerProcess } from '../servers.ts';
import type { ServerName, StartOptions } from '../servers.ts';
import type { Sizes, Workload } from './workload.ts';

/**
 * The hostile workload: two honest delegates edit one document while an attacker floods the
 * server, one attack at a time, each on a fresh server process (nothing one attack leaves behind —
 * a lockout, a backlog of password hashes, megabytes of awareness — weighs on the next). The
 * honest typist types a character every 100 ms; the other honest client times its arrival. Per
 * attack: the worst and the p99 of those probes while the attack lasts, how many did not arrive
 * within 5 s (lost), whether the server still answered HTTP and synced a new WebSocket half-way
 * through, and how long after the attack the probes were back under 100 ms. The attacker runs in
 * a process of its own on the generator's core (bench/attacks/attacker.ts), so its work does not
 * hold up the honest clients' event loop; what the server forwards to the honest clients, they
 * pay for as real clients would.
 */

export interface Attack {
  key: 'quiet' | AttackKey;
  label: string;
  /** Concord only: the peers have no login, lockout or HTTP API (the table shows "—"). */
  concordOnly: boolean;
  /** How long requests already sent may still be answered after the attack (the guesses: 401 or 429?). */
  settleMs: number;
}

export const ATTACKS: readonly Attack[] = [
  { key: 'quiet', label: 'quiet (no attack)', concordOnly: false, settleMs: 0 },
  { key: 'awareness', label: `awareness flood: ${SLOTS.awareness} connections, states of 1–3.5 MB`, concordOnly: false, settleMs: 0 },
  { key: 'bomb', label: `struct bomb: ${SLOTS.bomb} connections, 4 MB updates claiming 2 M structs`, concordOnly: false, settleMs: 0 },
  { key: 'small', label: `small frames: ${SLOTS.small} connections, 10–60 KB junk updates`, concordOnly: false, settleMs: 0 },
  { key: 'login', label: `login flood: ${LOGIN_ADDRESSES} addresses × ${LOGIN_PER_ADDRESS} unknown usernames`, concordOnly: true, settleMs: 0 },
  { key: 'guesses', label: `password guesses: ${GUESS_ADDRESSES * GUESSES_PER_ADDRESS} for one account from ${GUESS_ADDRESSES} addresses`, concordOnly: true, settleMs: 90_000 },
  { key: 'http', label: `HTTP flood: ${HTTP_FLOOD_MIN.toLocaleString('en-US')}+ GET /api/health from the honest delegates' address`, concordOnly: true, settleMs: 0 },
];

/** Workload names of the rows: "hostile: <attack>". */
export const HOSTILE_PREFIX = 'hostile: ';
/** Under this, a probe is "normal" again after an attack (and the target for the worst probe under one). */
export const NORMAL_MS = 100;

export const hostile: Workload = {
  key: 'hostile',
  servers: ['concord', 'hocuspocus', 'y-websocket'],
  inQuick: false,
  async run(name: ServerName, sizes: Sizes, start: StartOptions): Promise<Row[]> {
    const rows: Row[] = [];
    // BENCH_ATTACKS=quiet,login runs only those (when working on one defence)
    const only = process.env.BENCH_ATTACKS?.split(',');
    for (const attack of ATTACKS) {
      if (attack.concordOnly && !isConcord(name)) continue;
      if (only && !only.includes(attack.key)) continue;
      const t0 = performance.now();
      const row = await phase(name, attack, sizes, start).catch(
        (error: Error) =>
          ({
            workload: `${HOSTILE_PREFIX}${attack.label}`,
            server: name,
            converged: false,
            figures: {},
            notes: [`failed: ${error.message.split('\n')[0]}`],
          }) satisfies Row,
      );
      rows.push(row);
      process.stdout.write(`      hostile · ${name} · ${attack.key}: ${describe(row)} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
    return rows;
  },
};

function describe(row: Row): string {
  const f = row.figures;
  if (f.lost === undefined) return row.notes.join('; ');
  return `worst ${row.latency?.max.toFixed(0)} ms, p99 ${row.latency?.p99.toFixed(0)} ms, ${f.lost} of ${f.probes} lost, ${f.up ? 'up' : 'DOWN'}`;
}

async function phase(name: ServerName, attack: Attack, sizes: Sizes, start: StartOptions): Promise<Row> {
  const server = await ServerProcess.start(name, { documents: 1, hostileAccounts: true }, { ...start, label: `${name}-hostile-${attack.key}` });
  let probe: HonestProbe | null = null;
  let attacker: Attacker | null = null;
  let recovered = false;
  try {
    probe = await honestPair(server);
    probe.start();
    // warm-up, not measured: the JIT, and the first connections of the up-check's kind
    await sleep(Math.min(2, sizes.seconds) * 1000);
    await checkUp(server);
    attacker = attack.key === 'quiet' ? null : await Attacker.spawn(plan(server, attack.key));
    const api = honestApiCalls(server);
    const close = await openMeasurement(server);
    // this process's own event loop: an honest probe late because the generator was busy is not the server's doing
    const generator = monitorEventLoopDelay({ resolution: 10 });
    generator.enable();
    const from = probe.typed + 1;
    attacker?.go();
    const began = performance.now();
    // the up-check half-way through: while the attack goes on (it goes on until the check ends)
    const up: Promise<UpCheck> = sleep((sizes.seconds * 1000) / 2).then(() => checkUp(server));
    await sleep(sizes.seconds * 1000);
    const upCheck = await up;
    const to = probe.typed;
    const ended = performance.now();
    const attackResult = attacker ? attacker.stop(attack.settleMs) : Promise.resolve(null);
    const stats = await close();
    generator.disable();
    const generatorMaxMs = Math.max(0, generator.max / 1e6 - 10);
    const apiCalls = await api.stop();
    // every probe of the attack arrived or is lost, and one typed after the attack came within 100 ms
    const cap = sizes.hostileRecoverySeconds * 1000;
    const settled = (p: HonestProbe) => p.seen >= to || performance.now() - p.typedAt[p.seen + 1]! > LOST_AFTER_MS;
    recovered = await waitFor(() => settled(probe!) && probe!.backToNormal(ended, NORMAL_MS) !== undefined, cap);
    if (!recovered) await waitFor(() => settled(probe!), LOST_AFTER_MS);
    const backAt = probe.backToNormal(ended, NORMAL_MS);
    const did = await attackResult;
    probe.stop();
    const window = probe.window(from, to);
    // converged: once the server is back, both honest replicas hold the same text (and so does its store)
    let converged: boolean | null = null;
    const notes: string[] = [];
    if (recovered) {
      const caughtUp = await waitFor(() => probe!.seen >= probe!.typed, 10_000);
      converged = caughtUp && fingerprint(probe.typist.doc) === fingerprint(probe.reader.doc);
      if (!converged) notes.push('the honest replicas differ after the attack');
    } else {
      notes.push(`not back to normal within ${sizes.hostileRecoverySeconds} s after the attack: replicas not compared`);
    }
    const final = fingerprint(probe.typist.doc);
    const closes = probe.typist.closes + probe.reader.closes;
    probe.destroy();
    probe.typist.destroy();
    probe.reader.destroy();
    probe = null;
    const endedHow = server.ended;
    await server.stop(recovered ? 20_000 : 2000);
    if (converged && !endedHow) {
      const stored = server.stored(0);
      if (stored && fingerprint(stored) !== final) {
        converged = false;
        notes.push("the server's stored state differs from the honest replicas");
      }
      stored?.destroy();
    }
    if (endedHow) notes.push(`**the server process ended (${endedHow})**`);
    if (generatorMaxMs > 50) notes.push(`the generator's own event loop stalled up to ${generatorMaxMs.toFixed(0)} ms`);
    if (closes) notes.push(`honest clients reconnected ${closes} time${closes === 1 ? '' : 's'}`);
    if (did) notes.push(...attackerNotes(attack, did));
    else if (attacker) notes.push(`the attacker did not report: ${attacker.output.split('\n').at(-2) ?? ''}`);
    if (isConcord(name)) notes.push(apiNote(apiCalls));
    return {
      workload: `${HOSTILE_PREFIX}${attack.label}`,
      server: name,
      latency: summarize(window.samples),
      cpuPercent: stats.cpuPercent,
      peakRssMiB: stats.peakRssMiB,
      loopP99: stats.loopP99,
      writtenMiB: stats.writtenMiB,
      converged,
      figures: {
        probes: window.probes,
        lost: window.lost,
        up: isUp(upCheck) ? 1 : 0,
        upHttpMs: upCheck.httpMs,
        upWsMs: upCheck.wsMs,
        crashed: endedHow ? 1 : 0,
        backToNormalS: backAt === undefined ? NaN : Math.max(0, backAt - ended) / 1000,
        loopMax: stats.loopMax,
        generatorLoopMax: generatorMaxMs,
        honestCloses: closes,
        attackSeconds: (ended - began) / 1000,
        ...(did ? attackerFigures(did) : {}),
        ...(isConcord(name) ? { apiCalls: apiCalls.calls, api429: apiCalls.statuses['429'] ?? 0, apiFailed: apiCalls.calls - (apiCalls.statuses['200'] ?? 0), apiWorstMs: apiCalls.worstMs } : {}),
      },
      notes,
    };
  } finally {
    attacker?.kill();
    if (probe) {
      probe.destroy();
      probe.typist.destroy();
      probe.reader.destroy();
    }
    await server.stop(recovered ? 20_000 : 2000);
    server.remove();
  }
}

function plan(server: ServerProcess, attack: AttackKey): AttackPlan {
  const accounts = server.accounts;
  // Concord: awareness from an observer (who may send nothing else), updates from a delegate of another delegation
  const token = !accounts ? server.token : attack === 'awareness' ? accounts.observerToken : accounts.attackerToken;
  return {
    attack,
    server: server.name as AttackPlan['server'],
    port: server.port,
    document: server.documents[0]!,
    url: server.url(server.documents[0]!, token),
    hocuspocusToken: server.token,
    ...(accounts ? { targetUsername: accounts.targetUsername } : {}),
  };
}

function attackerFigures(did: AttackResult): Record<string, number> {
  const figures: Record<string, number> = {
    attackSent: did.sent,
    attackMiB: did.sentMiB,
    attackOpened: did.opened,
    attackClosed: did.closedByServer,
    attackConnectFailures: did.connectFailures,
    attackPending: did.pending,
  };
  for (const [status, count] of Object.entries(did.statuses)) figures[`status${status}`] = count;
  return figures;
}

function attackerNotes(attack: Attack, did: AttackResult): string[] {
  const statuses = Object.entries(did.statuses)
    .sort()
    .map(([status, n]) => `${status === '0' ? 'no answer' : status} ×${n}`)
    .join(', ');
  if (attack.key === 'login' || attack.key === 'guesses' || attack.key === 'http') {
    const rate = attack.key === 'http' ? ` (${Math.round(did.sent / did.seconds)}/s)` : '';
    const checked = attack.key === 'guesses' ? `; ${did.statuses['401'] ?? 0} of ${did.sent} checked (401), ${did.statuses['429'] ?? 0} locked out (429)` : '';
    return [`attacker: ${did.sent} requests${rate}: ${statuses || 'none answered'}${did.pending ? `, ${did.pending} unanswered when it stopped waiting` : ''}${checked}`];
  }
  const codes = Object.entries(did.closeCodes)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  const size = did.sentMiB >= 1024 ? `${(did.sentMiB / 1024).toFixed(1)} GiB` : `${did.sentMiB.toFixed(0)} MiB`;
  return [
    `attacker: ${did.sent} frames (${size}) over ${did.opened} connections; closed by the server: ${did.closedByServer}${codes ? ` (${codes})` : ''}${did.connectFailures ? `; ${did.connectFailures} connects failed` : ''}`,
  ];
}

function apiNote(api: ApiCalls): string {
  const refused = api.statuses['429'] ?? 0;
  const failed = api.calls - (api.statuses['200'] ?? 0) - refused;
  return `honest GET /api/me: ${api.calls} calls, ${refused} answered 429${failed ? `, ${failed} failed` : ''}, slowest ${api.worstMs.toFixed(0)} ms`;
}
