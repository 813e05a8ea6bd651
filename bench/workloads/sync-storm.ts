import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { fullClient, newTraffic, SilentClient } from '../clients.ts';
import { largeDocument } from '../documents.ts';
import { fingerprint, median, sleep, summarize, openMeasurement } from '../measure.ts';
import type { Row } from '../measure.ts';
import { ServerProcess } from '../servers.ts';
import type { ServerName, StartOptions } from '../servers.ts';
import { typing } from '../typing.ts';
import type { Sizes, Workload } from './workload.ts';

/** Loaders syncing the large document at the same time. */
const LOADERS = 4;
/**
 * Each loader starts a load every so often (or at once if the last one took longer): the same
 * storm for every server. Loaders that went again as soon as they had the document made a faster
 * server serve more loads, and so look worse for its probe.
 */
const LOAD_INTERVAL_MS = 250;
const LARGE = 0;
const PROBE = 1;

/**
 * Workload 3: the initial-sync storm. A large document is open (someone holds it) while loaders
 * fetch it whole again and again, each up to four times a second (raw clients: a sync step 1 with an empty state vector, then wait
 * for the sync step 2), and a probe types in another document: its latency with and without the
 * storm shows whether full-document work blocks everyone else.
 */
export const syncStorm: Workload = {
  key: 'storm',
  servers: ['concord', 'hocuspocus', 'y-websocket'],
  async run(name: ServerName, sizes: Sizes, start: StartOptions): Promise<Row[]> {
    const large = largeDocument(sizes.stormBytes);
    const server = await ServerProcess.start(name, { documents: 2, stored: (i) => (i === LARGE ? [large.update] : null) }, { ...start, label: `${name}-storm` });
    const traffic = newTraffic();
    try {
      const holder = new SilentClient(server, LARGE, traffic);
      await holder.opened;
      // one typist and three readers: three latency samples per keystroke
      const probe = Array.from({ length: 4 }, () => fullClient(server, PROBE, traffic));
      await Promise.all(probe.map((c) => c.synced));
      await sleep(500);
      // warm-up, not measured: the baseline must not be the JIT warming up
      await typing(probe.slice(0, 1), probe.slice(1), { seconds: 2, cps: 5, cursorsHz: 0, label: 'warm' });
      const baseline = await typing(probe.slice(0, 1), probe.slice(1), { seconds: sizes.seconds, cps: 5, cursorsHz: 0, label: 'calm' });

      let stopping = false;
      const loadTimes: number[] = [];
      let first: Uint8Array | null = null;
      const close = await openMeasurement(server);
      const loaders = Array.from({ length: LOADERS }, async () => {
        while (!stopping) {
          const t0 = performance.now();
          const { update } = await loadOnce(server);
          loadTimes.push(performance.now() - t0);
          first ??= update;
          await sleep(Math.max(0, LOAD_INTERVAL_MS - (performance.now() - t0)));
        }
      });
      const stormy = await typing(probe.slice(0, 1), probe.slice(1), { seconds: sizes.seconds, cps: 5, cursorsHz: 0, label: 'storm' });
      stopping = true;
      await Promise.all(loaders);
      const stats = await close();
      const latency = summarize(stormy.samples);
      const base = summarize(baseline.samples);
      // decoded only now: 2 MB of Yjs would stall the generator, and the probe with it
      const checked = first !== null && textOf(first) === large.text;
      const probesAgree = new Set(probe.map((c) => fingerprint(c.doc))).size === 1;
      holder.close();
      probe.forEach((c) => c.destroy());
      const notes = [];
      if (!checked) notes.push('a loader got a different text');
      if (!stormy.complete || !probesAgree) notes.push('the probe did not converge');
      return [
        {
          workload: `initial-sync storm: ${(large.update.byteLength / 1048576).toFixed(1)} MiB document, ${LOADERS} loaders`,
          server: name,
          latency,
          cpuPercent: stats.cpuPercent,
          peakRssMiB: stats.peakRssMiB,
          loopP99: stats.loopP99,
          writtenMiB: stats.writtenMiB,
          converged: checked && stormy.complete && probesAgree,
          figures: { baselineP99: base.p99, stormRatio: latency.p99 / base.p99, loads: loadTimes.length, loadMs: median(loadTimes) },
          notes,
        },
      ];
    } finally {
      await server.stop();
      server.remove();
    }
  },
};

/** Opens a raw connection, asks for the whole document and returns it when the sync step 2 arrives. */
function loadOnce(server: ServerProcess): Promise<{ update: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const loader = new SilentClient(server, LARGE, newTraffic());
    loader.opened.catch(reject);
    loader.onFrame = (kind, decoder) => {
      if (kind !== 'sync-step-2') return;
      const update = decoding.readVarUint8Array(decoder);
      loader.close();
      resolve({ update });
    };
    loader.socket.once('close', () => reject(new Error('a loader was disconnected before it got the document')));
  });
}

function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const text = doc.getXmlFragment('prosemirror').toString();
  doc.destroy();
  return text;
}
