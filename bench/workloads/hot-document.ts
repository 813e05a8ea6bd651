import { fullClient, newTraffic, openAll, SilentClient } from '../clients.ts';
import type { FullClient } from '../clients.ts';
import { fingerprint, sleep, summarize, waitFor, openMeasurement } from '../measure.ts';
import type { Row } from '../measure.ts';
import { ServerProcess } from '../servers.ts';
import type { ServerName, StartOptions } from '../servers.ts';
import { typing } from '../typing.ts';
import { OBSERVERS, TYPISTS } from './workload.ts';
import type { Sizes, Workload } from './workload.ts';

/**
 * Workload 1: one hot document, a negotiation room. For each room size, 10 typists at 5
 * characters/s with cursors at 2 Hz and 10 observers are full clients; the rest of the room are
 * silent clients that receive everything. Then the server is stopped, its stored state compared
 * with the replicas, and started again to time the reload of the document (workload 4's second half).
 */
/** Typing before the first measurement, so that no server is measured while its JIT warms up. */
const WARM_UP_SECONDS = 2;

export const hotDocument: Workload = {
  key: 'hot',
  servers: ['concord', 'concord-commit', 'hocuspocus', 'y-websocket', 'relay'],
  async run(name: ServerName, sizes: Sizes, start: StartOptions): Promise<Row[]> {
    const server = await ServerProcess.start(name, { documents: 1 }, { ...start, label: `${name}-hot` });
    const rows: Row[] = [];
    // what the replicas held at the end, to compare with what the server stored
    let final: { text: string; print: string } | null = null;
    try {
      for (const [level, clients] of sizes.hotClients.entries()) {
        const traffic = newTraffic();
        const full = await openAll(
          TYPISTS + OBSERVERS,
          () => fullClient(server, 0, traffic),
          (c) => c.synced,
          20,
        );
        const silent = await openAll(
          Math.max(0, clients - full.length),
          () => new SilentClient(server, 0, traffic),
          (c) => c.opened,
        );
        await sleep(500);
        // Warm-up, not measured: every server's code paths compiled by the JIT before the first figures.
        if (level === 0) await typing(full.slice(0, TYPISTS), full.slice(TYPISTS), { seconds: WARM_UP_SECONDS, cps: 5, cursorsHz: 2, label: 'W' });
        const close = await openMeasurement(server);
        const frames0 = traffic.frames;
        const result = await typing(full.slice(0, TYPISTS), full.slice(TYPISTS), { seconds: sizes.seconds, cps: 5, cursorsHz: 2, label: `L${level}` });
        const stats = await close();
        const frames = traffic.frames - frames0;
        const everyoneGotAll = await waitFor(() => silent.every((s) => s.received.update >= result.keystrokes), 10_000);
        const replicas = new Set(full.map((c) => fingerprint(c.doc)));
        const notes = [];
        if (!result.complete) notes.push('an observer missed keystrokes');
        if (!everyoneGotAll) notes.push(`silent clients got ${Math.min(...silent.map((s) => s.received.update))} of ${result.keystrokes} updates`);
        if (replicas.size > 1) notes.push(`${replicas.size} different replicas`);
        rows.push({
          workload: `hot document, ${clients} clients`,
          server: name,
          latency: summarize(result.samples),
          updatesPerSecond: result.keystrokes / result.seconds,
          framesPerSecond: frames / result.seconds,
          cpuPercent: stats.cpuPercent,
          peakRssMiB: stats.peakRssMiB,
          loopP99: stats.loopP99,
          writtenMiB: stats.writtenMiB,
          converged: result.complete && everyoneGotAll && replicas.size === 1,
          figures: { keystrokes: result.keystrokes, loopMax: stats.loopMax },
          notes,
        });
        final = { text: full[0]!.doc.getXmlFragment('prosemirror').toString(), print: fingerprint(full[0]!.doc) };
        silent.forEach((s) => s.close());
        full.forEach((c) => c.destroy());
        await sleep(300);
      }
      await server.stop();
      const stored = server.stored(0);
      const last = rows.at(-1);
      if (stored && last && final) {
        if (fingerprint(stored) !== final.print) {
          last.converged = false;
          last.notes.push('stored state differs from the replicas');
        }
        stored.destroy();
      }
      if (name !== 'relay' && final) rows.push(await reload(server, final.text));
    } finally {
      await server.stop();
      server.remove();
    }
    return rows;
  },
};

/** Starts the server again on its data and times the first sync of the hot document. */
async function reload(server: ServerProcess, expected: string): Promise<Row> {
  await server.restart();
  const close = await openMeasurement(server);
  const started = performance.now();
  const client: FullClient = fullClient(server, 0, newTraffic());
  await client.synced;
  const firstSync = performance.now() - started;
  const stats = await close();
  const converged = client.doc.getXmlFragment('prosemirror').toString() === expected;
  client.destroy();
  await server.stop();
  return {
    workload: 'reload after the hot document',
    server: server.name,
    cpuPercent: stats.cpuPercent,
    peakRssMiB: stats.peakRssMiB,
    loopP99: stats.loopP99,
    writtenMiB: stats.writtenMiB,
    converged,
    figures: { firstSyncMs: firstSync },
    notes: converged ? [] : ['the reloaded text differs from the replicas'],
  };
}
