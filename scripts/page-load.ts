/**
 * `npm run page-load`: what the document page costs a delegate's browser. Starts Concord as
 * `npm start` does (demo data, a temporary data folder), opens CWG-AI/2 in Chromium as a delegate,
 * and prints what went over the wire (bytes as sent, compressed) and how long the page took until
 * its live text was shown: first with an empty cache, as at the first visit of the day, then again
 * with the cache the first visit left, as at every later page load.
 *
 *   npm run page-load [-- --runs 5] [-- --throttle]   (--throttle: a hotel's 10 Mbit/s, 40 ms link)
 */
import { parseArgs } from 'node:util';
import type { CDPSession } from 'playwright-core';
import { ensureClientBuild } from '../server/client-build.ts';
import { launchChromium } from '../test/e2e/support/browser.ts';
import { startConcord } from '../test/e2e/support/concord.ts';
import { logIn, waitForLiveText } from '../test/e2e/support/pages.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, throttle: { type: 'boolean', default: false } } });
const runs = Math.max(1, Number(values.runs));

/** Bytes received per kind of resource, as the network carried them (headers and compressed bodies). */
function countBytes(cdp: CDPSession): { bytes: Map<string, number>; stop(): void } {
  const kindOf = new Map<string, string>();
  const bytes = new Map<string, number>();
  const received = (event: { requestId: string; type: string }) => kindOf.set(event.requestId, event.type);
  const finished = (event: { requestId: string; encodedDataLength: number }) => {
    const kind = kindOf.get(event.requestId) ?? 'Other';
    bytes.set(kind, (bytes.get(kind) ?? 0) + event.encodedDataLength);
  };
  cdp.on('Network.responseReceived', received);
  cdp.on('Network.loadingFinished', finished);
  return {
    bytes,
    stop() {
      cdp.off('Network.responseReceived', received);
      cdp.off('Network.loadingFinished', finished);
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

await ensureClientBuild((message) => console.log(message));
const concord = await startConcord();
const browser = await launchChromium();
try {
  const id = await concord.documentId('CWG-AI/2');
  const results = { cold: [] as number[], warm: [] as number[], coldBytes: [] as Map<string, number>[], warmBytes: [] as Map<string, number>[] };
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await logIn(page, concord.url, concord.login('brazil'));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (values.throttle) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 });
    for (const visit of ['cold', 'warm'] as const) {
      // the first visit starts with an empty cache (the log-in page's files are dropped too)
      if (visit === 'cold') await cdp.send('Network.clearBrowserCache');
      const counted = countBytes(cdp);
      const started = Date.now();
      await page.goto(`${concord.url}/documents/${id}`);
      await waitForLiveText(page);
      results[visit].push(Date.now() - started);
      await page.waitForLoadState('networkidle');
      counted.stop();
      results[`${visit}Bytes`].push(counted.bytes);
    }
    await context.close();
  }
  console.log(`\nDocument page CWG-AI/2 as a delegate, Chromium 1280×800, ${runs} runs${values.throttle ? ', 10 Mbit/s with 40 ms latency' : ', loopback'} (median):\n`);
  console.log('| visit | live text shown after | script | styles | page (HTML) | API and other | total over the wire |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const visit of ['cold', 'warm'] as const) {
    const of = (kinds: string[]) => median(results[`${visit}Bytes`].map((m) => kinds.reduce((sum, k) => sum + (m.get(k) ?? 0), 0)));
    const total = median(results[`${visit}Bytes`].map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
    const known = ['Script', 'Stylesheet', 'Document'];
    const other = median(results[`${visit}Bytes`].map((m) => [...m].filter(([k]) => !known.includes(k)).reduce((sum, [, v]) => sum + v, 0)));
    console.log(
      `| ${visit === 'cold' ? 'first (empty cache)' : 'later (cached)'} | ${median(results[visit])} ms | ${kib(of(['Script']))} | ${kib(of(['Stylesheet']))} | ${kib(of(['Document']))} | ${kib(other)} | ${kib(total)} |`,
    );
  }
} finally {
  await browser.close();
  await concord.stop();
}
