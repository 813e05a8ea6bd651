import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { openDatabase } from '../server/storage/database.ts';
import { migrate } from '../server/storage/migrations.ts';
import { openStores } from '../server/services.ts';
import { defaultConfig } from '../server/config.ts';
import { DocumentLog } from '../server/storage/document-log.ts';
import type { Db } from '../server/storage/database.ts';
import { hashPassword } from '../server/auth/password.ts';
import type { LoopDelay, ProbeRequest } from './servers/probe.ts';

/**
 * The servers under test, each in its own process on core 0 while the load generator runs on
 * core 1 (ARCHITECTURE.md §5):
 * - `concord`: `server/main.ts` exactly as `npm start` runs it — its SQLite storage, token
 *   authentication at the upgrade, the update guard and whatever checks the hub has today;
 * - `concord-commit`: the same with CONCORD_DURABILITY=commit (updates broadcast once committed,
 *   synced right after), to show what waiting for the disk costs (hot document only);
 * - `hocuspocus`: `@hocuspocus/server` 3 with a SQLite database extension (bench/servers/hocuspocus.ts);
 * - `y-websocket`: the y-websocket v2 reference server with a SQLite persistence (bench/servers/y-websocket.ts);
 * - `relay`: a WebSocket relay with no Yjs and no storage, the floor (bench/servers/relay.ts).
 */
export type ServerName = 'concord' | 'concord-commit' | 'hocuspocus' | 'y-websocket' | 'relay';
export const SERVERS: readonly ServerName[] = ['concord', 'concord-commit', 'hocuspocus', 'y-websocket', 'relay'];
/** Concord, in any of its settings. */
export const isConcord = (name: ServerName) => name === 'concord' || name === 'concord-commit';
/** The servers Concord is compared with for its targets (the relay is the floor, not a peer). */
export const PEERS: readonly ServerName[] = ['hocuspocus', 'y-websocket'];

const ROOT = resolve(import.meta.dirname, '..');
const PROBE = join(ROOT, 'bench/servers/probe.ts');

/** The documents a workload needs, and what is stored in them before the server starts. */
export interface Seed {
  documents: number;
  /** Updates stored for document `index` (in the order a server would have stored them), or null. */
  stored?: (index: number) => Uint8Array[] | null;
  /** Concord: also the accounts the hostile workload attacks with and against (HostileAccounts). */
  hostileAccounts?: boolean;
}

/**
 * Concord accounts of the hostile workload (bench/workloads/hostile.ts), members of the same
 * working group as the benchmark's delegate: an observer (reads only: what it may still send is
 * awareness), a delegate of another delegation (may write, so its updates are read), and an
 * account with a password, to guess at.
 */
export interface HostileAccounts {
  observerToken: string;
  attackerToken: string;
  targetUsername: string;
  targetPassword: string;
}

export interface StartOptions {
  /** Write a V8 CPU profile of the server to this folder when it exits. */
  profileDir?: string;
  /** Names the profile's folder (server and workload). */
  label?: string;
}

/** A server process under test. `restart` starts it again on the same data (the pid changes). */
export class ServerProcess {
  pid = 0;
  #child: ChildProcess | null = null;
  #output = '';

  private constructor(
    readonly name: ServerName,
    readonly port: number,
    readonly dataDir: string,
    /** Ids (Concord) or names (the others) of the seeded documents, by index. */
    readonly documents: string[],
    /** Credential clients present (Concord: an API token of a delegate; Hocuspocus: a shared secret). */
    readonly token: string,
    private readonly options: StartOptions,
    /** Concord with `seed.hostileAccounts`: the hostile workload's accounts; otherwise null. */
    readonly accounts: HostileAccounts | null = null,
  ) {}

  static async start(name: ServerName, seed: Seed, options: StartOptions = {}): Promise<ServerProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), `concord-bench-${name}-`));
    const targetHash = isConcord(name) && seed.hostileAccounts ? await (targetHashOnce ??= hashPassword(HOSTILE_TARGET_PASSWORD)) : null;
    const { documents, token, accounts } = isConcord(name) ? prepareConcord(dataDir, seed, targetHash) : { ...preparePeer(name, dataDir, seed), accounts: null };
    const server = new ServerProcess(name, await freePort(), dataDir, documents, token, options, accounts);
    await server.#launch();
    return server;
  }

  /** The WebSocket address of a document (Hocuspocus multiplexes documents over one address); Concord: with `token` (default the delegate's). */
  url(document: string, token = this.token): string {
    const base = `ws://127.0.0.1:${this.port}`;
    if (isConcord(this.name)) return `${base}/collab/${document}?token=${token}`;
    if (this.name === 'hocuspocus') return base;
    return `${base}/${document}`;
  }

  /** The HTTP path that tells the server is up (Concord's health route; the peers answer any GET). */
  get healthPath(): string {
    return isConcord(this.name) ? '/api/health' : '/';
  }

  /** The process is running (not exited, not killed). */
  get running(): boolean {
    const child = this.#child;
    return child !== null && child.exitCode === null && child.signalCode === null;
  }

  /** How the process ended ("exit code 1", "signal SIGKILL"), or null while it runs. */
  get ended(): string | null {
    const child = this.#child;
    if (!child || this.running) return null;
    return child.signalCode ? `signal ${child.signalCode}` : `exit code ${child.exitCode}`;
  }

  /** Last lines the process printed (warnings, errors), for reports. */
  get output(): string {
    return this.#output;
  }

  async #launch(): Promise<void> {
    const script = isConcord(this.name) ? 'server/main.ts' : `bench/servers/${this.name}.ts`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(this.port),
      HOST: '127.0.0.1',
      DATA_DIR: this.dataDir,
      CONCORD_DEMO: '0',
      CONCORD_CLIENT: '0',
      LOG_LEVEL: 'warn',
      ...(this.name === 'concord-commit' ? { CONCORD_DURABILITY: 'commit' } : {}),
      BENCH_DB: join(this.dataDir, 'peer.db'),
      BENCH_TOKEN: this.token,
    };
    // one folder per process: Node writes a profile per thread (tsx's loader runs in a worker)
    const profileDir = this.options.profileDir ? join(this.options.profileDir, `${this.options.label ?? this.name}-${Date.now()}`) : null;
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const child = spawn('taskset', ['-c', '0', process.execPath, ...profile, '--import', 'tsx', '--import', PROBE, join(ROOT, script)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child = child;
    this.pid = child.pid!;
    const keep = (data: Buffer) => (this.#output = (this.#output + data.toString()).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await this.#ready(child);
    // start-up work (transpiling, migrations) settles before anything is measured
    await new Promise((r) => setTimeout(r, 1000));
  }

  async #ready(child: ChildProcess): Promise<void> {
    const path = this.healthPath;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with code ${child.exitCode}:\n${this.#output}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}${path}`);
        if (response.status < 500) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} did not answer on port ${this.port} within 90 s:\n${this.#output}`);
  }

  /** Starts a new event-loop delay window. */
  resetLoop(): void {
    this.#child?.send({ type: 'reset' } satisfies ProbeRequest);
  }

  /** Event-loop delay since `resetLoop`. */
  readLoop(): Promise<LoopDelay> {
    const child = this.#child!;
    return new Promise((resolveLoop) => {
      const timer = setTimeout(() => (child.off('message', answer), resolveLoop({ type: 'loop', p50: NaN, p99: NaN, max: NaN })), 5000);
      const answer = (message: LoopDelay) => {
        if (message.type !== 'loop') return;
        clearTimeout(timer);
        child.off('message', answer);
        resolveLoop(message);
      };
      child.on('message', answer);
      child.send({ type: 'read' } satisfies ProbeRequest);
    });
  }

  /**
   * Stops the server as an operator would (SIGTERM: each server flushes what it keeps in memory),
   * killing it if it has not exited after `graceMs` (a server stalled by an attack may never).
   */
  async stop(graceMs = 20_000): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.#launch();
  }

  /** The stored state of a document, read from the server's SQLite file (null for the relay). */
  stored(index: number): Y.Doc | null {
    const document = this.documents[index]!;
    if (this.name === 'relay') return null;
    if (isConcord(this.name)) {
      const db = new Database(join(this.dataDir, 'concord.db'), { readonly: true });
      try {
        return new DocumentLog(db).replay(document);
      } finally {
        db.close();
      }
    }
    const db = new Database(join(this.dataDir, 'peer.db'), { readonly: true });
    try {
      const rows =
        this.name === 'y-websocket'
          ? (db.prepare('SELECT data FROM updates WHERE doc = ? ORDER BY id').all(document) as { data: Buffer }[])
          : (db.prepare('SELECT data FROM documents WHERE name = ?').all(document) as { data: Buffer }[]);
      const doc = new Y.Doc();
      doc.transact(() => rows.forEach((row) => Y.applyUpdate(doc, row.data)));
      return doc;
    } finally {
      db.close();
    }
  }

  /** Removes the server's data folder (after `stop`). */
  remove(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Concord's database as its admin CLI would set it up: a working group, a delegation, a delegate
 * (the role whose updates the rules check most), an API token and the documents, with their
 * stored updates appended to the document log the way the hub appends them.
 */
function prepareConcord(dataDir: string, seed: Seed, targetHash: string | null): { documents: string[]; token: string; accounts: HostileAccounts | null } {
  const db: Db = openDatabase(join(dataDir, 'concord.db'));
  try {
    migrate(db);
    const stores = openStores(db, defaultConfig({ dataDir }));
    const documents: string[] = [];
    let token = '';
    let accounts: HostileAccounts | null = null;
    db.transaction(() => {
      stores.accounts.addGroup('bench', 'Benchmark working group');
      stores.accounts.addDelegation('bench', 'Benchland');
      const user = stores.accounts.addUser('bench', 'Bench delegate', null);
      stores.accounts.setMembership(user.id, 'bench', 'delegate', 'Benchland');
      token = stores.tokens.create(user.id);
      if (targetHash !== null) {
        const observer = stores.accounts.addUser('bench-observer', 'Bench observer', null);
        stores.accounts.setMembership(observer.id, 'bench', 'observer');
        stores.accounts.addDelegation('bench', 'Attackland');
        const attacker = stores.accounts.addUser('bench-attacker', 'Bench attacker', null);
        stores.accounts.setMembership(attacker.id, 'bench', 'delegate', 'Attackland');
        const target = stores.accounts.addUser(HOSTILE_TARGET_USERNAME, 'Bench target', targetHash);
        stores.accounts.setMembership(target.id, 'bench', 'delegate', 'Benchland');
        accounts = {
          observerToken: stores.tokens.create(observer.id),
          attackerToken: stores.tokens.create(attacker.id),
          targetUsername: HOSTILE_TARGET_USERNAME,
          targetPassword: HOSTILE_TARGET_PASSWORD,
        };
      }
      const group = stores.accounts.requireGroup('bench');
      for (let i = 0; i < seed.documents; i++) {
        const id = stores.documents.create({ groupId: group.id, symbol: `BENCH/${i}`, title: `Benchmark document ${i}`, type: 'resolution', createdBy: null }).id;
        documents.push(id);
        const updates = seed.stored?.(i);
        if (updates) stores.log.append(updates.map((update) => ({ documentId: id, update })));
      }
    })();
    return { documents, token, accounts };
  } finally {
    db.close();
  }
}

const HOSTILE_TARGET_USERNAME = 'bench-target';
const HOSTILE_TARGET_PASSWORD = 'the right password of the bench target';
/** scrypt takes a third of a second: hashed once per run. */
let targetHashOnce: Promise<string> | undefined;

/** The peers' SQLite files, in the shape each persistence keeps (bench/servers/*.ts). */
function preparePeer(name: ServerName, dataDir: string, seed: Seed): { documents: string[]; token: string } {
  const documents = Array.from({ length: seed.documents }, (_, i) => `bench-${i}`);
  const token = name === 'hocuspocus' ? 'bench-shared-secret' : '';
  if (name === 'relay') return { documents, token };
  const db = new Database(join(dataDir, 'peer.db'));
  try {
    db.pragma('journal_mode = WAL');
    if (name === 'y-websocket') {
      db.exec(Y_WEBSOCKET_SCHEMA);
      const insert = db.prepare('INSERT INTO updates (doc, data) VALUES (?, ?)');
      db.transaction(() => documents.forEach((doc, i) => seed.stored?.(i)?.forEach((update) => insert.run(doc, update))))();
    } else {
      // Hocuspocus stores one merged state per document.
      db.exec(HOCUSPOCUS_SCHEMA);
      const insert = db.prepare('INSERT INTO documents (name, data) VALUES (?, ?)');
      db.transaction(() =>
        documents.forEach((doc, i) => {
          const updates = seed.stored?.(i);
          if (updates) insert.run(doc, Y.mergeUpdates(updates));
        }),
      )();
    }
  } finally {
    db.close();
  }
  return { documents, token };
}

/** Tables of the peers' persistences (also created by the peer scripts themselves). */
export const Y_WEBSOCKET_SCHEMA = 'CREATE TABLE IF NOT EXISTS updates (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, data BLOB NOT NULL); CREATE INDEX IF NOT EXISTS updates_doc ON updates (doc, id)';
export const HOCUSPOCUS_SCHEMA = 'CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)';

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}
