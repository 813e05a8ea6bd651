import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../server/app.ts';
import type { App } from '../../server/app.ts';
import { defaultConfig, databaseFile } from '../../server/config.ts';
import type { Config } from '../../server/config.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { migrate } from '../../server/storage/migrations.ts';
import { openStores } from '../../server/services.ts';
import type { Stores } from '../../server/services.ts';
import { hashPassword } from '../../server/auth/password.ts';
import type { Role } from '../../shared/roles.ts';

export const PASSWORD = 'correct horse battery';

/** A user the test fixtures create, with an API token for scripted clients. */
export interface TestUser {
  username: string;
  token: string;
  role: Role;
  delegation: string | null;
}

/** The real server on a free port with a temporary SQLite file, and ways to stop and restart it. */
export interface TestServer {
  app: App;
  stores: Stores;
  config: Config;
  dataDir: string;
  url: string;
  wsUrl: string;
  origin: string;
  users: Record<string, TestUser>;
  /** Id of document CWG-AI/3 of group cwg-ai, and of a document of another group. */
  documentId: string;
  otherGroupDocumentId: string;
  /** Stops the server (flushing as on SIGTERM) and starts it again on the same file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const HASH = hashPassword(PASSWORD);

/**
 * Working group cwg-ai with a chair, a secretariat, an observer and delegates of Brazil and Kenya;
 * a second group "other-wg" with one delegate, to prove groups are walled off from each other.
 */
export async function startServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-test-'));
  const config = defaultConfig({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    seedDemo: false,
    serveClient: false,
    logLevel: 'silent',
    loginsPerAccountPerMinute: 1000,
    loginsPerMinute: 100_000,
    anonymousRequestsPerMinute: 100_000,
    requestsPerMinute: 100_000,
    origins: ['http://concord.test'],
    ...overrides,
  });
  let db = openDatabase(databaseFile(config));
  migrate(db);
  let stores = openStores(db, config);
  const hash = await HASH;
  const users: Record<string, TestUser> = {};
  const add = (group: string, username: string, role: Role, delegation?: string) => {
    const user = stores.accounts.addUser(username, `${username} person`, hash);
    stores.accounts.setMembership(user.id, group, role, delegation);
    users[username] = { username, token: stores.tokens.create(user.id), role, delegation: delegation ?? null };
  };
  stores.accounts.addGroup('cwg-ai', 'Council Working Group on AI');
  stores.accounts.addDelegation('cwg-ai', 'Brazil');
  stores.accounts.addDelegation('cwg-ai', 'Kenya');
  add('cwg-ai', 'chair', 'chair');
  add('cwg-ai', 'secretariat', 'secretariat');
  add('cwg-ai', 'observer', 'observer');
  add('cwg-ai', 'brazil', 'delegate', 'Brazil');
  add('cwg-ai', 'kenya', 'delegate', 'Kenya');
  stores.accounts.addGroup('other-wg', 'Another working group');
  stores.accounts.addDelegation('other-wg', 'France');
  add('other-wg', 'outsider', 'delegate', 'France');
  const group = stores.accounts.requireGroup('cwg-ai');
  const documentId = stores.documents.create({ groupId: group.id, symbol: 'CWG-AI/3', title: 'Draft resolution', type: 'resolution', createdBy: null }).id;
  const other = stores.accounts.requireGroup('other-wg');
  const otherGroupDocumentId = stores.documents.create({ groupId: other.id, symbol: 'OWG/1', title: 'Other', type: 'resolution', createdBy: null }).id;

  let app = await buildApp(config, stores);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server: TestServer = {
    app,
    stores,
    config,
    dataDir,
    url: '',
    wsUrl: '',
    origin: 'http://concord.test',
    users,
    documentId,
    otherGroupDocumentId,
    async restart() {
      await app.close();
      db.close();
      db = openDatabase(databaseFile(config));
      migrate(db);
      stores = openStores(db, config);
      app = await buildApp(config, stores);
      await app.listen({ port: 0, host: '127.0.0.1' });
      Object.assign(server, { app, stores });
      setUrls();
    },
    async close() {
      await app.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const setUrls = () => {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    server.url = `http://127.0.0.1:${port}`;
    server.wsUrl = `ws://127.0.0.1:${port}/collab`;
  };
  setUrls();
  return server;
}
