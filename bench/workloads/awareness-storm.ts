import { newTraffic, openAll, readAwareness, SilentClient, awarenessFrame } from '../clients.ts';
import { sleep, summarize, waitFor, openMeasurement } from '../measure.ts';
import type { Row } from '../measure.ts';
import { ServerProcess } from '../servers.ts';
import type { ServerName, StartOptions } from '../servers.ts';
import type { Sizes, Workload } from './workload.ts';

const HZ = 5;
/** Awareness client ids of the storm's clients (a Yjs client id is any 53-bit number). */
const FIRST_ID = 1_000_000;

/**
 * Workload 5: the awareness storm. Clients move their cursors at 5 Hz, no edits: every move must
 * reach everyone. One client decodes what it receives, giving the latency of a cursor move (each
 * state carries the time it was sent). Converged: that client saw every other client's last move.
 */
export const awarenessStorm: Workload = {
  key: 'awareness',
  servers: ['concord', 'hocuspocus', 'y-websocket', 'relay'],
  async run(name: ServerName, sizes: Sizes, start: StartOptions): Promise<Row[]> {
    const server = await ServerProcess.start(name, { documents: 1 }, { ...start, label: `${name}-awareness` });
    try {
      const traffic = newTraffic();
      const clients = await openAll(
        sizes.awarenessClients,
        () => new SilentClient(server, 0, traffic),
        (c) => c.opened,
      );
      await sleep(500);
      const watcher = clients[0]!;
      const lastSeen = new Map<number, number>();
      const samples: number[] = [];
      watcher.onFrame = (kind, decoder) => {
        if (kind !== 'awareness') return;
        const now = performance.now();
        for (const { clientId, clock, state } of readAwareness(decoder)) {
          if (clientId === FIRST_ID || (lastSeen.get(clientId) ?? 0) >= clock) continue;
          lastSeen.set(clientId, clock);
          if (typeof state?.sent === 'number') samples.push(now - state.sent);
        }
      };
      const clocks = clients.map(() => 0);
      const frames0 = traffic.frames;
      const close = await openMeasurement(server);
      const timers: NodeJS.Timeout[] = [];
      clients.forEach((client, i) => {
        timers.push(
          setTimeout(
            () => {
              timers.push(setInterval(() => client.send(awarenessFrame(server, 0, FIRST_ID + i, ++clocks[i]!, clocks[i]! % 100)), 1000 / HZ));
            },
            (i * 1000) / HZ / clients.length,
          ),
        );
      });
      await sleep(sizes.seconds * 1000);
      timers.forEach((timer) => clearInterval(timer));
      const stats = await close();
      const frames = traffic.frames - frames0;
      const delivered = await waitFor(() => clients.every((_, i) => i === 0 || lastSeen.get(FIRST_ID + i) === clocks[i]), 10_000);
      const moves = clocks.reduce((a, b) => a + b, 0);
      clients.forEach((c) => c.close());
      return [
        {
          workload: `awareness storm: ${sizes.awarenessClients} clients at ${HZ} Hz`,
          server: name,
          latency: summarize(samples),
          updatesPerSecond: moves / stats.seconds,
          framesPerSecond: frames / stats.seconds,
          cpuPercent: stats.cpuPercent,
          peakRssMiB: stats.peakRssMiB,
          loopP99: stats.loopP99,
          writtenMiB: stats.writtenMiB,
          converged: delivered,
          figures: {},
          notes: delivered ? [] : ['the watcher missed the last move of some clients'],
        },
      ];
    } finally {
      await server.stop();
      server.remove();
    }
  },
};
