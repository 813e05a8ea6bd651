/**
 * The attacker of the hostile workload, in a process of its own (forked by bench/workloads/hostile.ts,
 * on the generator's core), so that building and sending floods never holds up the event loop
 * of the honest clients that measure. It is told the plan, gets ready (builds its frames), floods
 * from "go" to "stop", and answers with what it did. Nothing here may crash it: a server closing
 * the attacker's sockets, or refusing its connections, is what an attack is expected to meet.
 *
 * Each attacking WebSocket connection (a "slot") has a loopback address of its own (127.3.x.y)
 * and comes back as soon as the server closes it; the HTTP attacks use addresses of their own
 * (127.0.0.x: the login flood 40, the guesses 6, the HTTP flood the honest delegates' one), since
 * Concord's HTTP limits count per address.
 */
import http from 'node:http';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { awarenessFrame, bigAwarenessState, smallUpdates, structBomb, updateFrame } from './frames.ts';
import type { FrameTarget } from './frames.ts';
import { countStatus, request } from './http.ts';
import { GUESS_ADDRESSES, GUESSES_PER_ADDRESS, HTTP_FLOOD_MIN, LOGIN_ADDRESSES, LOGIN_PER_ADDRESS, SLOTS, VENUE_ADDRESS } from './plan.ts';
import type { AttackPlan, AttackResult, FromAttacker, ToAttacker } from './plan.ts';

/** Awareness states sent in turn (1 to 3.5 MB). */
const AWARENESS_BYTES = [1_000_000, 2_250_000, 3_500_000];
const HTTP_FLOOD_CONCURRENCY = 32;

const result: AttackResult = { sent: 0, sentMiB: 0, opened: 0, closedByServer: 0, closeCodes: {}, connectFailures: 0, statuses: {}, pending: 0, seconds: 0 };
let running = false;
let began = 0;
/** The sockets of the WebSocket floods, closed at "stop". */
const sockets = new Set<WebSocket>();
/** Requests in flight, aborted at "stop" once the settle time is over. */
const inFlight = new Set<Promise<unknown>>();
const abort = new AbortController();

process.on('uncaughtException', (error) => process.stderr.write(`attacker: ${error.stack ?? error.message}\n`));
process.on('unhandledRejection', (error) => process.stderr.write(`attacker: ${String(error)}\n`));

const start = prepare(JSON.parse(process.argv[2]!) as AttackPlan);
process.on('message', (message: ToAttacker) => {
  if (message.type === 'go') {
    running = true;
    began = performance.now();
    start();
  } else if (message.type === 'stop') {
    void stop(message.settleMs);
  }
});
send({ type: 'ready' });

function send(message: FromAttacker): void {
  process.send?.(message);
}

async function stop(settleMs: number): Promise<void> {
  running = false;
  result.seconds = (performance.now() - began) / 1000;
  for (const socket of sockets) socket.terminate();
  // the requests already sent may still be answered (the guesses: 401 or 429?)
  const deadline = performance.now() + settleMs;
  while (inFlight.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  result.pending = inFlight.size;
  abort.abort();
  send({ type: 'result', result });
  setTimeout(() => process.exit(0), 100);
}

/** Builds what the attack sends; returns what starts it. */
function prepare(p: AttackPlan): () => void {
  const target: FrameTarget = { hocuspocus: p.server === 'hocuspocus', document: p.document };
  switch (p.attack) {
    case 'awareness': {
      const states = AWARENESS_BYTES.map(bigAwarenessState);
      const clocks = new Map<number, number>();
      return () =>
        flood(p, SLOTS.awareness, (slot, n) => {
          const clientId = 900_000 + slot;
          const clock = (clocks.get(clientId) ?? 0) + 1;
          clocks.set(clientId, clock);
          return awarenessFrame(target, clientId, clock, states[n % states.length]!);
        });
    }
    case 'bomb': {
      const bombs = [updateFrame(target, structBomb(777_001, 'gc')), updateFrame(target, structBomb(777_002, 'skip'))];
      return () => flood(p, SLOTS.bomb, (slot, n) => bombs[(slot + n) % bombs.length]!);
    }
    case 'small': {
      const frames = smallUpdates(64, 7).map((update) => updateFrame(target, update));
      let next = 0;
      return () => flood(p, SLOTS.small, () => frames[next++ % frames.length]!);
    }
    case 'login':
      return () => {
        for (let a = 0; a < LOGIN_ADDRESSES; a++) {
          for (let i = 0; i < LOGIN_PER_ADDRESS; i++) {
            attempt(p, `127.0.0.${2 + a}`, { username: `nobody-${a}-${i}`, password: 'not a password of anyone' });
          }
        }
      };
    case 'guesses':
      return () => {
        for (let a = 0; a < GUESS_ADDRESSES; a++) {
          for (let i = 0; i < GUESSES_PER_ADDRESS; i++) {
            attempt(p, `127.0.0.${100 + a}`, { username: p.targetUsername ?? 'bench-target', password: `wrong guess number ${a * GUESSES_PER_ADDRESS + i}` });
          }
        }
      };
    case 'http':
      return () => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: HTTP_FLOOD_CONCURRENCY });
        for (let c = 0; c < HTTP_FLOOD_CONCURRENCY; c++) {
          void (async () => {
            while ((running || result.sent < HTTP_FLOOD_MIN) && !abort.signal.aborted) {
              result.sent++;
              const answer = track(request({ port: p.port, path: '/api/health', localAddress: VENUE_ADDRESS, agent, timeoutMs: 10_000, signal: abort.signal }));
              countStatus(result.statuses, (await answer).status);
            }
          })();
        }
      };
  }
}

function track<T>(promise: Promise<T>): Promise<T> {
  inFlight.add(promise);
  void promise.finally(() => inFlight.delete(promise));
  return promise;
}

function attempt(p: AttackPlan, localAddress: string, body: { username: string; password: string }): void {
  result.sent++;
  void track(request({ port: p.port, path: '/api/auth/login', method: 'POST', localAddress, body, timeoutMs: 120_000, signal: abort.signal })).then((answer) =>
    countStatus(result.statuses, answer.status),
  );
}

/**
 * A WebSocket flood: `slots` connections, each sending `next(slot, n)` again as soon as the last
 * frame is written to the socket (as fast as the server reads), reconnecting at once when closed.
 */
function flood(p: AttackPlan, slots: number, next: (slot: number, n: number) => Uint8Array): void {
  for (let slot = 0; slot < slots; slot++) connect(p, slot, next);
}

function connect(p: AttackPlan, slot: number, next: (slot: number, n: number) => Uint8Array): void {
  if (!running) return;
  const localAddress = `127.3.${1 + Math.floor(slot / 250)}.${1 + (slot % 250)}`;
  const socket = new WebSocket(p.url, { localAddress, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  sockets.add(socket);
  let opened = false;
  let closedByUs = false;
  let n = 0;
  const pump = () => {
    if (!running || socket.readyState !== WebSocket.OPEN) return;
    const frame = next(slot, n++);
    result.sent++;
    result.sentMiB += frame.byteLength / 1048576;
    socket.send(frame, (error) => {
      if (!error) setImmediate(pump);
    });
  };
  socket.on('open', () => {
    opened = true;
    result.opened++;
    if (p.server === 'hocuspocus') {
      const auth = encoding.createEncoder();
      encoding.writeVarString(auth, p.document);
      encoding.writeVarUint(auth, 2); // auth
      encoding.writeVarUint(auth, 0); // token
      encoding.writeVarString(auth, p.hocuspocusToken);
      socket.send(encoding.toUint8Array(auth));
    }
    // flood once the server has spoken (its sync step 1; Hocuspocus: "authenticated"), or after 1 s
    let started = false;
    const go = () => {
      if (started) return;
      started = true;
      pump();
    };
    socket.once('message', go);
    setTimeout(go, 1000);
  });
  socket.on('error', () => undefined);
  socket.on('unexpected-response', (_request, response) => {
    response.resume();
    socket.terminate();
  });
  socket.on('close', (code) => {
    sockets.delete(socket);
    if (!running) closedByUs = true;
    if (!opened) result.connectFailures++;
    else if (!closedByUs) {
      result.closedByServer++;
      result.closeCodes[String(code)] = (result.closeCodes[String(code)] ?? 0) + 1;
    }
    // back at once; a refused connection tries again after 50 ms
    if (running) setTimeout(() => connect(p, slot, next), opened ? 0 : 50);
  });
}
