/**
 * The y-websocket v2 reference server (its `bin/utils`, unchanged) with a SQLite persistence in
 * the shape of its own LevelDB one (y-leveldb): every update the document emits is appended as a
 * row, a document is loaded by applying its rows, and a log of more than 500 rows is merged into
 * one when loaded. Writes are not synced per update (`synchronous=NORMAL`, as LevelDB's default
 * unsynced writes). Benchmark peer only. Env: PORT, BENCH_DB.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { WebSocketServer } from 'ws';

const require = createRequire(import.meta.url);
// The server's own (CommonJS) Yjs: a second copy of Yjs would break its documents.
const Y = require('yjs') as typeof import('yjs');
const utils = require('y-websocket-v2/bin/utils') as {
  setupWSConnection: (conn: unknown, req: http.IncomingMessage, options: { docName: string }) => void;
  setPersistence: (persistence: unknown) => void;
};

/** y-leveldb's PREFERRED_TRIM_SIZE. */
const TRIM_AFTER = 500;

const db = new Database(process.env.BENCH_DB!);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, data BLOB NOT NULL); CREATE INDEX IF NOT EXISTS updates_doc ON updates (doc, id)');
const insert = db.prepare('INSERT INTO updates (doc, data) VALUES (?, ?)');
const select = db.prepare('SELECT data FROM updates WHERE doc = ? ORDER BY id');
const clear = db.prepare('DELETE FROM updates WHERE doc = ?');

utils.setPersistence({
  provider: db,
  bindState: (docName: string, ydoc: import('yjs').Doc) => {
    const rows = select.all(docName) as { data: Buffer }[];
    ydoc.transact(() => rows.forEach((row) => Y.applyUpdate(ydoc, row.data)));
    if (rows.length > TRIM_AFTER) {
      db.transaction(() => {
        clear.run(docName);
        insert.run(docName, Y.encodeStateAsUpdate(ydoc));
      })();
    }
    ydoc.on('update', (update: Uint8Array) => insert.run(docName, update));
  },
  writeState: async () => {},
});

const server = http.createServer((_request, response) => response.end('ok'));
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => utils.setupWSConnection(ws, request, { docName: (request.url ?? '/').slice(1).split('?')[0]! }));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  db.close();
  process.exit(0);
});
