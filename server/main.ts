import { configFromEnv, databaseFile } from './config.ts';
import { openDatabase } from './storage/database.ts';
import { Checkpointer } from './storage/checkpointer.ts';
import { migrate, NewerDatabaseError } from './storage/migrations.ts';
import { openStores } from './services.ts';
import { buildApp } from './app.ts';
import { seedDemo } from './demo/seed.ts';
import { ensureClientBuild } from './client-build.ts';
import { migrateStoredDocuments } from './storage/document-migrations/index.ts';
import { DataLockHeldError, holdDataLock } from './storage/data-lock.ts';
import { join } from 'node:path';

/** `npm start`: build the client if needed, migrate, seed the demo on an empty database, serve. */
async function main(): Promise<void> {
  const config = configFromEnv();
  const say = (message: string) => process.stdout.write(`${message}\n`);
  // One server per data folder: a second one (or a restore) would write under the first one's feet.
  let lock: { release(): void };
  try {
    lock = holdDataLock(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataLockHeldError)) throw error;
    process.stderr.write(`concord: ${error.message}\n`);
    process.exit(2);
  }
  if (config.serveClient) await ensureClientBuild(say);

  const db = openDatabase(databaseFile(config));
  try {
    const applied = migrate(db);
    if (applied.length) say(`database ${databaseFile(config)}: applied migrations ${applied.join(', ')}`);
  } catch (error) {
    if (error instanceof NewerDatabaseError) {
      process.stderr.write(`concord: ${error.message}\n`);
      db.close();
      process.exit(2);
    }
    throw error;
  }
  const stores = openStores(db, config);
  stores.sessions.sweep();
  const migrated = migrateStoredDocuments(stores);
  if (migrated.length) say(`documents brought to the current structure: ${migrated.join(', ')}`);
  const demo = config.seedDemo ? await seedDemo(stores, config.dataDir) : null;

  const app = await buildApp(config, stores);
  const checkpointer = new Checkpointer(db, app.log);
  stores.log.onCommit = () => checkpointer.committed();
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  say(`Concord is running at ${url}`);
  if (demo) {
    say(`Demo working group "CWG-AI" created. Log in at ${url}/login with, for example:`);
    for (const login of demo.filter((l) => ['chair', 'brazil', 'kenya', 'observer'].includes(l.username))) {
      say(`  ${login.username.padEnd(10)} ${login.password}`);
    }
    say(`All demo logins: ${join(config.dataDir, 'demo-credentials.txt')}`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: storing open documents and closing…`);
    try {
      await app.close(); // closes sockets and flushes the hub (onClose hook)
      await checkpointer.stop();
    } finally {
      db.close();
      lock.release();
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`concord: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
