import * as Y from 'yjs';
import { fullClient, newTraffic, openAll, SilentClient } from '../clients.ts';
import { appendParagraph } from '../documents.ts';
import { sleep, summarize, waitFor, openMeasurement } from '../measure.ts';
import type { Row } from '../measure.ts';
import { bytesWritten, cpuSeconds, rssMiB } from '../process-stats.ts';
import { ServerProcess } from '../servers.ts';
import type { ServerName, StartOptions } from '../servers.ts';
import type { Sizes, Workload } from './workload.ts';

/** Documents whose second client is a full client measuring latency (the others have silent readers only). */
const OBSERVED = 50;

/**
 * Workload 2: a Council session with many documents open. Each document has one full client typing
 * a character a second and two readers; in the first 50 documents one reader is a full client that
 * measures latency, the other readers are silent. Reported per document: the server's peak RSS
 * over its RSS before anyone connected, divided by the number of documents. CPU, frames and bytes
 * written are those of the typing. Converged: every reader got every keystroke and, after the
 * server stopped, every stored document holds its typist's text.
 */
export const manyDocuments: Workload = {
  key: 'many',
  servers: ['concord', 'hocuspocus', 'y-websocket', 'relay'],
  async run(name: ServerName, sizes: Sizes, start: StartOptions): Promise<Row[]> {
    const count = sizes.manyDocuments;
    const observed = Math.min(OBSERVED, count);
    const server = await ServerProcess.start(name, { documents: count }, { ...start, label: `${name}-many` });
    try {
      const idle = rssMiB(server.pid);
      const traffic = newTraffic();
      const close = await openMeasurement(server);
      const typists = await openAll(
        count,
        (i) => fullClient(server, i, traffic),
        (c) => c.synced,
      );
      const observers = await openAll(
        observed,
        (i) => fullClient(server, i, traffic),
        (c) => c.synced,
      );
      // readers of each document: one silent where a full observer reads too, two elsewhere
      const readerDocuments = Array.from({ length: count }, (_, i) => (i < observed ? [i] : [i, i])).flat();
      const readers = await openAll(
        readerDocuments.length,
        (r) => new SilentClient(server, readerDocuments[r]!, traffic),
        (c) => c.opened,
      );
      const texts = typists.map((typist, i) => appendParagraph(typist.doc, `document ${i}:`));
      await waitFor(() => observers.every((o) => o.doc.getXmlFragment('prosemirror').length > 0), 10_000);
      await sleep(500);

      const typed = typists.map(() => 0);
      const typedAt = typists.map(() => [] as number[]);
      const samples: number[] = [];
      const seen = observers.map(() => 0);
      observers.forEach((observer, i) => {
        observer.doc.getXmlFragment('prosemirror').observeDeep((events) => {
          const now = performance.now();
          if (!events.some((e) => e.target instanceof Y.XmlText)) return;
          const count = /z*$/.exec(
            observer.doc
              .getXmlFragment('prosemirror')
              .toString()
              .replace(/<[^>]*>/g, ''),
          )![0].length;
          for (let k = seen[i]! + 1; k <= count; k++) if (typedAt[i]![k] !== undefined) samples.push(now - typedAt[i]![k]!);
          seen[i] = Math.max(seen[i]!, count);
        });
      });
      const frames0 = traffic.frames;
      const cpu0 = cpuSeconds(server.pid);
      const written0 = bytesWritten(server.pid);
      const timers: NodeJS.Timeout[] = [];
      const t0 = performance.now();
      texts.forEach((text, i) => {
        timers.push(
          setTimeout(
            () => {
              timers.push(
                setInterval(() => {
                  typedAt[i]![++typed[i]!] = performance.now();
                  text.insert(text.length, 'z');
                }, 1000),
              );
            },
            (i * 1000) / count,
          ),
        );
      });
      await sleep(sizes.seconds * 1000);
      timers.forEach((timer) => clearInterval(timer));
      const typingSeconds = (performance.now() - t0) / 1000;
      const cpuPercent = ((cpuSeconds(server.pid) - cpu0) / typingSeconds) * 100;
      const keystrokes = typed.reduce((a, b) => a + b, 0);
      // readers also got the paragraph: one update more than the keystrokes
      const delivered = await waitFor(() => readers.every((r, i) => r.received.update >= typed[readerDocuments[i]!]! + 1) && observers.every((_, i) => seen[i]! >= typed[i]!), 15_000);
      const frames = traffic.frames - frames0;
      const writtenMiB = (bytesWritten(server.pid) - written0) / 1048576;
      const stats = await close();
      const expected = typists.map((t) => t.doc.getXmlFragment('prosemirror').toString());
      readers.forEach((r) => r.close());
      [...typists, ...observers].forEach((c) => c.destroy());
      await server.stop();
      let storedDiffer = 0;
      if (name !== 'relay') {
        for (let i = 0; i < count; i++) {
          const stored = server.stored(i)!;
          if (stored.getXmlFragment('prosemirror').toString() !== expected[i]) storedDiffer++;
          stored.destroy();
        }
      }
      const notes = [];
      if (!delivered) notes.push('some readers missed keystrokes');
      if (storedDiffer) notes.push(`${storedDiffer} stored documents differ from their typist's`);
      return [
        {
          workload: `${count} documents × 3 clients`,
          server: name,
          latency: summarize(samples),
          updatesPerSecond: keystrokes / typingSeconds,
          framesPerSecond: frames / typingSeconds,
          cpuPercent,
          peakRssMiB: stats.peakRssMiB,
          loopP99: stats.loopP99,
          writtenMiB,
          converged: delivered && storedDiffer === 0,
          figures: { rssPerDocumentKiB: ((stats.peakRssMiB - idle) * 1024) / count, idleRssMiB: idle },
          notes,
        },
      ];
    } finally {
      await server.stop();
      server.remove();
    }
  },
};
