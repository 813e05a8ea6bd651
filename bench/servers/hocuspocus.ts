/**
 * `@hocuspocus/server` 3 with a SQLite-backed database extension: each document's state is loaded
 * from one row and stored (merged, by Hocuspocus's debounce of 2 s, at most 10 s) as one row, as the
 * extension is meant to be used; `synchronous=NORMAL`. Clients authenticate with a shared token.
 * Hocuspocus stores open documents itself on SIGTERM. Benchmark peer only.
 * Env: PORT, BENCH_DB, BENCH_TOKEN.
 */
import Database from 'better-sqlite3';
import { Server } from '@hocuspocus/server';
import { Database as DatabaseExtension } from '@hocuspocus/extension-database';

const db = new Database(process.env.BENCH_DB!);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)');
const select = db.prepare('SELECT data FROM documents WHERE name = ?');
const upsert = db.prepare('INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data');

const server = new Server({
  port: Number(process.env.PORT),
  address: '127.0.0.1',
  quiet: true,
  async onAuthenticate({ token }) {
    if (token !== process.env.BENCH_TOKEN) throw new Error('unknown token');
  },
  extensions: [
    new DatabaseExtension({
      fetch: async ({ documentName }) => (select.get(documentName) as { data: Buffer } | undefined)?.data ?? null,
      store: async ({ documentName, state }) => void upsert.run(documentName, state),
    }),
  ],
});
await server.listen();
