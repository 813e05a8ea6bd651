import { fullClient, newTraffic, openAll, SilentClient } from '../clients.ts';
import { appendParagraph } from '../documents.ts';
import { sleep, waitFor, window } from '../measure.ts';
import type { Row } from '../measure.ts';
import { cpuSeconds, rssMiB } from '../process-stats.ts';
import { ServerProcess } from '../servers.ts';
import type { ServerName, StartOptions } from '../servers.ts';
import type { Sizes, Workload } from './workload.ts';

/**
 * Workload 2: a Council session with many documents open. Each document has one full client typing
 * a character a second and two silent readers. Reported per document: the server's peak RSS over
 * its RSS before anyone connected, divided by the number of documents. Converged: every reader got
 * every keystroke and, after the server stopped, every stored document holds the typist's text.
 * CPU and frames are those of the typing; peak RSS and bytes written include connecting everyone.
 */
export const manyDocuments: Workload = {
  key: 'many',
  servers: ['concord', 'hocuspocus', 'y-websocket', 'relay'],
  async run(name: ServerName, sizes: Sizes, start: StartOptions): Promise<Row[]> {
    const count = sizes.manyDocuments;
    const server = await ServerProcess.start(name, { documents: count }, { ...start, label: `${name}-many` });
    try {
      await sleep(500);
      const idle = rssMiB(server.pid);
      const traffic = newTraffic();
      const close = await window(server);
      const typists = await openAll(count, (i) => fullClient(server, i, traffic), (c) => c.synced);
      const readers = await openAll(count * 2, (i) => new SilentClient(server, Math.floor(i / 2), traffic), (c) => c.opened);
      const texts = typists.map((typist, i) => appendParagraph(typist.doc, `document ${i}:`));
      await sleep(500);
      const frames0 = traffic.frames;
      const typed = typists.map(() => 0);
      const timers: NodeJS.Timeout[] = [];
      const t0 = performance.now();
      const cpu0 = cpuSeconds(server.pid);
      texts.forEach((text, i) => {
        timers.push(setTimeout(() => {
          timers.push(setInterval(() => {
            typed[i]!++;
            text.insert(text.length, 'z');
          }, 1000));
        }, (i * 1000) / count));
      });
      await sleep(sizes.seconds * 1000);
      timers.forEach((timer) => clearInterval(timer));
      const typingSeconds = (performance.now() - t0) / 1000;
      const typingCpuPercent = ((cpuSeconds(server.pid) - cpu0) / typingSeconds) * 100;
      const keystrokes = typed.reduce((a, b) => a + b, 0);
      // readers also got the paragraph: one update more than the keystrokes
      const delivered = await waitFor(() => readers.every((r, i) => r.received.update >= typed[Math.floor(i / 2)]! + 1), 15_000);
      const frames = traffic.frames - frames0;
      const stats = await close();
      const expected = typists.map((t) => t.doc.getXmlFragment('prosemirror').toString());
      readers.forEach((r) => r.close());
      typists.forEach((t) => t.destroy());
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
      return [{
        workload: `${count} documents × 3 clients`,
        server: name,
        updatesPerSecond: keystrokes / typingSeconds,
        framesPerSecond: frames / typingSeconds,
        cpuPercent: typingCpuPercent,
        peakRssMiB: stats.peakRssMiB,
        loopP99: stats.loopP99,
        writtenMiB: stats.writtenMiB,
        converged: delivered && storedDiffer === 0,
        figures: { rssPerDocumentKiB: ((stats.peakRssMiB - idle) * 1024) / count, idleRssMiB: idle },
        notes,
      }];
    } finally {
      await server.stop();
      server.remove();
    }
  },
};
