/**
 * The floor: a WebSocket relay with no Yjs and no storage. Every frame is sent as it is to the other
 * connections on the same path, so the clients sync with each other through it. Env: PORT.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

const rooms = new Map<string, Set<WebSocket>>();
const server = http.createServer((_request, response) => response.end('ok'));
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket, request) => {
  const path = (request.url ?? '/').split('?')[0]!;
  let room = rooms.get(path);
  if (!room) rooms.set(path, (room = new Set()));
  const peers = room;
  peers.add(socket);
  socket.on('message', (data, isBinary) => {
    for (const peer of peers) if (peer !== socket && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    peers.delete(socket);
    if (peers.size === 0 && rooms.get(path) === peers) rooms.delete(path);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
