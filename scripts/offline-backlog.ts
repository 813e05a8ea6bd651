/**
 * What an afternoon's offline backlog costs the server: `npx tsx scripts/offline-backlog.ts
 * [--keystrokes 100000] [--runs 3]`. A delegate types offline in the negotiation draft; the backlog
 * is encoded once, before measuring, and sent as the sync step 2 a stock client sends on
 * reconnecting, over a plain WebSocket. Printed: its size and structs, how long until a witness
 * has it, and the event loop's longest block while the server read, judged and stored it
 * (reported, never asserted: this machine is shared).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { startServer } from '../test/support/server.ts';
import { connect, synced, until } from '../test/support/client.ts';
import { seedNegotiation } from '../test/support/negotiation.ts';
import { provisionTexts, typeAfternoon } from '../test/support/offline-typing.ts';
import { MESSAGE_SYNC, SYNC_STEP_2 } from '../shared/protocol.ts';

const { values } = parseArgs({ options: { keystrokes: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } });
const keystrokes = Number(values.keystrokes);

for (let run = 1; run <= Number(values.runs); run++) {
  const server = await startServer();
  seedNegotiation(server);
  const witness = connect(server, 'observer');
  await synced(witness);
  const typist = new Y.Doc();
  Y.applyUpdate(typist, Y.encodeStateAsUpdate(witness.doc));
  const texts = provisionTexts(typist);
  typeAfternoon(typist, keystrokes, run, [texts[0]!]);
  const backlog = Y.encodeStateAsUpdate(typist, Y.encodeStateVector(witness.doc));
  const { structs, ds } = Y.decodeUpdate(backlog);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_STEP_2);
  encoding.writeVarUint8Array(e, backlog);
  const frame = encoding.toUint8Array(e);
  const socket = new WebSocket(`${server.wsUrl}/${server.documentId}?token=${server.users.brazil!.token}`);
  await new Promise((resolve) => socket.on('open', resolve));
  const expected = texts[0]!.length;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const start = performance.now();
  socket.send(frame);
  await until(() => provisionTexts(witness.doc)[0]!.length === expected, 'the backlog to reach the witness', 30_000);
  const took = performance.now() - start;
  loop.disable();
  let ranges = 0;
  for (const deletions of ds.clients.values()) ranges += deletions.length;
  console.log(
    `run ${run}: ${keystrokes} keystrokes → ${(backlog.byteLength / 1024).toFixed(0)} KiB, ${structs.length} structs, ${ranges} deletion ranges; ` +
      `at the witness after ${took.toFixed(0)} ms; event loop blocked at most ${(loop.max / 1e6).toFixed(0)} ms (p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms)`,
  );
  socket.close();
  witness.destroy();
  await server.close();
}
