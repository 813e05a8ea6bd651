import * as Y from 'yjs';
import { fullClient, newTraffic } from '../clients.ts';
import { typedLog } from '../documents.ts';
import { median, sleep, openMeasurement } from '../measure.ts';
import type { Row } from '../measure.ts';
import { ServerProcess } from '../servers.ts';
import type { ServerName, StartOptions } from '../servers.ts';
import type { Sizes, Workload } from './workload.ts';

/** Cold documents loaded one after another: the first also warms the code paths, the median does not care. */
const COPIES = 5;

/**
 * Workload 4: cold load of a document typed keystroke by keystroke and never compacted — stored as
 * each server stores it (Concord and y-websocket: one row per update; Hocuspocus: the merged state).
 * Times, with each server's own client, from opening the socket to holding the whole text.
 */
export const coldLoad: Workload = {
  key: 'cold',
  servers: ['concord', 'hocuspocus', 'y-websocket'],
  async run(name: ServerName, sizes: Sizes, start: StartOptions): Promise<Row[]> {
    const log = typedLog(sizes.coldUpdates);
    const server = await ServerProcess.start(name, { documents: COPIES, stored: () => log.updates }, { ...start, label: `${name}-cold` });
    try {
      await sleep(300);
      const close = await openMeasurement(server);
      const times: number[] = [];
      let converged = true;
      for (let i = 0; i < COPIES; i++) {
        const t0 = performance.now();
        const client = fullClient(server, i, newTraffic());
        await client.synced;
        times.push(performance.now() - t0);
        converged &&= client.doc.getXmlFragment('prosemirror').toString() === log.text;
        client.destroy();
      }
      const stats = await close();
      const bytes = log.updates.reduce((n, u) => n + u.byteLength, 0);
      return [
        {
          workload: `cold load: ${sizes.coldUpdates.toLocaleString('en-US')} stored updates`,
          server: name,
          cpuPercent: stats.cpuPercent,
          peakRssMiB: stats.peakRssMiB,
          loopP99: stats.loopP99,
          writtenMiB: stats.writtenMiB,
          converged,
          figures: { firstSyncMs: median(times), firstSyncMaxMs: Math.max(...times), storedKiB: bytes / 1024, stateKiB: Y.mergeUpdates(log.updates).byteLength / 1024 },
          notes: converged ? [] : ['a loaded text differs from the stored one'],
        },
      ];
    } finally {
      await server.stop();
      server.remove();
    }
  },
};
