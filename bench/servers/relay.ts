/**
 * The floor: a WebSocket relay with no Yjs and no storage. Every frame is sent as it is to the
 * other connections on the same path, so the clients sync with each other through it. One thing
 * it does as every server does: the stock y-websocket provider re-sends every awareness change it
 * receives, so an awareness frame about a client id first seen on another connection is an echo
 * and is dropped (else 20 full clients would multiply the cursor traffic by 20). Env: PORT.
 */
import http from 'node:http';
import * as decoding from 'lib0/decoding';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

interface Room {
  sockets: Set<WebSocket>;
  /** The connection each awareness client id was first seen on. */
  owners: Map<number, WebSocket>;
}

/** The client id of an awareness frame's first entry, or null for any other frame. */
function awarenessClient(data: Buffer): number | null {
  if (data[0] !== 1) return null;
  try {
    const frame = decoding.createDecoder(data);
    decoding.readVarUint(frame);
    const update = decoding.createDecoder(decoding.readVarUint8Array(frame));
    return decoding.readVarUint(update) > 0 ? decoding.readVarUint(update) : null;
  } catch {
    return null;
  }
}

const rooms = new Map<string, Room>();
const server = http.createServer((_request, response) => response.end('ok'));
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket, request) => {
  const path = (request.url ?? '/').split('?')[0]!;
  let room = rooms.get(path);
  if (!room) rooms.set(path, (room = { sockets: new Set(), owners: new Map() }));
  const { sockets, owners } = room;
  sockets.add(socket);
  socket.on('message', (data: Buffer, isBinary) => {
    const client = awarenessClient(data);
    if (client !== null) {
      const owner = owners.get(client);
      if (owner === undefined) owners.set(client, socket);
      else if (owner !== socket) return;
    }
    for (const peer of sockets) if (peer !== socket && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    sockets.delete(socket);
    for (const [client, owner] of owners) if (owner === socket) owners.delete(client);
    if (sockets.size === 0 && rooms.get(path) === room) rooms.delete(path);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
