import { resolve } from 'node:path';

/** Everything an operator can set, each with its default (README "Configuration"). */
export interface Config {
  /** HTTP port (PORT, default 8080). 0 picks a free port (tests). */
  port: number;
  /** Interface to listen on (HOST, default 0.0.0.0). */
  host: string;
  /** Folder of the SQLite file and the demo credentials (DATA_DIR, default ./data). */
  dataDir: string;
  /**
   * Origins allowed to open a WebSocket and to make cookie-authenticated changes
   * (CONCORD_ORIGINS, comma-separated; default http://localhost:PORT and http://127.0.0.1:PORT).
   */
  origins: string[];
  /** Session lifetime (CONCORD_SESSION_HOURS, default 12 h: a long negotiating day). */
  sessionTtlMs: number;
  /** Mark cookies Secure (CONCORD_SECURE_COOKIES=1 behind HTTPS). */
  secureCookies: boolean;
  /** Largest WebSocket frame accepted; larger ones close that connection (default 4 MiB). */
  maxFrameBytes: number;
  /** A document with no connection is unloaded from memory after this long (default 30 s). */
  idleUnloadMs: number;
  /** Ping period; a connection that missed one pong is dropped (default 30 s). */
  pingIntervalMs: number;
  /** Compact a document's log when it holds this many updates … (default 500) */
  compactAfterUpdates: number;
  /** How often open documents that changed get an autosave version. */
  autosaveMs: number;
  /** … or this many bytes (default 1 MiB). */
  compactAfterBytes: number;
  /** Messages per second a connection may send on average, and the burst allowed (default 100 / 1000). */
  messageRate: { perSecond: number; burst: number };
  /** A connection whose unsent data passes this is dropped and resyncs (default 16 MiB). */
  maxBufferedBytes: number;
  /** Bytes of changes one connection may send a minute (CONCORD_MAX_MB_PER_MINUTE, default 32). */
  maxBytesPerMinute: number;
  /** Bytes one document may take in storage (CONCORD_MAX_DOCUMENT_MB, default 64). */
  maxDocumentBytes: number;
  /** Sign-ins per minute for one username, whatever the address (default 10; the lock after 8 wrong passwords comes on top). */
  loginsPerAccountPerMinute: number;
  /** Sign-ins per minute for the whole server (CONCORD_LOGINS_PER_MINUTE, default 600: a hall of 200 signing in at once). */
  loginsPerMinute: number;
  /** HTTP requests (and WebSocket opens) per minute of one session or API token (CONCORD_REQUESTS_PER_MINUTE, default 1200). */
  requestsPerMinute: number;
  /**
   * Requests per minute from one address without a session or token (CONCORD_ANONYMOUS_REQUESTS_PER_MINUTE,
   * default 3000: a venue's delegates behind one address open the sign-in page together). The
   * page's own files are never limited.
   */
  anonymousRequestsPerMinute: number;
  /**
   * Which proxies' X-Forwarded-For to believe for the client's address (CONCORD_TRUST_PROXY):
   * unset, no proxy; `true`, any; a number, that many hops; or a comma-separated list of proxy
   * addresses or CIDR ranges (Fastify's trustProxy).
   */
  trustProxy: boolean | number | string[];
  /** Seed the demo working group on an empty database (CONCORD_DEMO=0 turns it off). */
  seedDemo: boolean;
  /** Build and serve the browser client from dist/client (CONCORD_CLIENT=0 for an API-only server). */
  serveClient: boolean;
  /**
   * When an update may be broadcast (CONCORD_DURABILITY): `disk` (default) once the commit is
   * synced to disk, so it survives a power cut; `commit` once it is committed to SQLite's WAL, so it
   * survives a crash of the server (the sync follows within one fsync), for disks whose sync time
   * jumps to hundreds of milliseconds (BENCHMARKS.md).
   */
  durability: Durability;
  /** Fastify log level (LOG_LEVEL, default info; tests use silent). */
  logLevel: string;
}

export type Durability = 'disk' | 'commit';

export const databaseFile = (config: Pick<Config, 'dataDir'>) => resolve(config.dataDir, 'concord.db');

export function defaultConfig(overrides: Partial<Config> = {}): Config {
  const port = overrides.port ?? 8080;
  return {
    port,
    host: '0.0.0.0',
    dataDir: resolve('data'),
    origins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
    sessionTtlMs: 12 * 3600_000,
    secureCookies: false,
    maxFrameBytes: 4 * 1024 * 1024,
    idleUnloadMs: 30_000,
    pingIntervalMs: 30_000,
    compactAfterUpdates: 500,
    autosaveMs: 5 * 60_000,
    compactAfterBytes: 1024 * 1024,
    messageRate: { perSecond: 100, burst: 1000 },
    maxBufferedBytes: 16 * 1024 * 1024,
    maxBytesPerMinute: 32 * 1024 * 1024,
    maxDocumentBytes: 64 * 1024 * 1024,
    loginsPerAccountPerMinute: 10,
    loginsPerMinute: 600,
    requestsPerMinute: 1200,
    anonymousRequestsPerMinute: 3000,
    trustProxy: false,
    seedDemo: true,
    serveClient: true,
    durability: 'disk',
    logLevel: 'info',
    ...overrides,
  };
}

/** Reads the configuration from the environment; unknown values fail with the variable's name. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const number = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} is not a number; set it to a non-negative number`);
    return value;
  };
  const port = number('PORT') ?? 8080;
  const overrides: Partial<Config> = { port };
  if (env.HOST) overrides.host = env.HOST;
  if (env.DATA_DIR) overrides.dataDir = resolve(env.DATA_DIR);
  if (env.CONCORD_ORIGINS)
    overrides.origins = env.CONCORD_ORIGINS.split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean);
  const hours = number('CONCORD_SESSION_HOURS');
  if (hours) overrides.sessionTtlMs = hours * 3600_000;
  if (env.CONCORD_SECURE_COOKIES === '1') overrides.secureCookies = true;
  const perMinute = number('CONCORD_MAX_MB_PER_MINUTE');
  if (perMinute) overrides.maxBytesPerMinute = perMinute * 1024 * 1024;
  const documentSize = number('CONCORD_MAX_DOCUMENT_MB');
  if (documentSize) overrides.maxDocumentBytes = documentSize * 1024 * 1024;
  const frame = number('CONCORD_MAX_FRAME_MB');
  if (frame) overrides.maxFrameBytes = frame * 1024 * 1024;
  const autosave = number('CONCORD_AUTOSAVE_MINUTES');
  if (autosave) overrides.autosaveMs = autosave * 60_000;
  const compactUpdates = number('CONCORD_COMPACT_AFTER_UPDATES');
  if (compactUpdates) overrides.compactAfterUpdates = compactUpdates;
  const logins = number('CONCORD_LOGINS_PER_MINUTE');
  if (logins) overrides.loginsPerMinute = logins;
  const requests = number('CONCORD_REQUESTS_PER_MINUTE');
  if (requests) overrides.requestsPerMinute = requests;
  const anonymous = number('CONCORD_ANONYMOUS_REQUESTS_PER_MINUTE');
  if (anonymous) overrides.anonymousRequestsPerMinute = anonymous;
  if (env.CONCORD_TRUST_PROXY) overrides.trustProxy = trustProxy(env.CONCORD_TRUST_PROXY);
  if (env.CONCORD_DEMO === '0') overrides.seedDemo = false;
  if (env.CONCORD_CLIENT === '0') overrides.serveClient = false;
  const durability = env.CONCORD_DURABILITY;
  if (durability) {
    if (durability !== 'disk' && durability !== 'commit') throw new Error(`CONCORD_DURABILITY=${durability} is not known; set it to disk (the default) or commit`);
    overrides.durability = durability;
  }
  if (env.LOG_LEVEL) overrides.logLevel = env.LOG_LEVEL;
  return defaultConfig(overrides);
}

/** CONCORD_TRUST_PROXY: `true`/`false`, a hop count, or proxy addresses and CIDR ranges separated by commas. */
function trustProxy(raw: string): Config['trustProxy'] {
  const value = raw.trim();
  if (value === 'true') return true;
  if (value === 'false' || value === '0') return false; // 0 hops: no proxy
  if (/^\d+$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = list.find((entry) => !/^([0-9a-fA-F.:]+(\/\d{1,3})?|loopback|linklocal|uniquelocal)$/.test(entry));
  if (bad) throw new Error(`CONCORD_TRUST_PROXY=${raw}: "${bad}" is not an address or CIDR range; set true, a hop count, or addresses such as 10.0.0.1,192.168.0.0/16`);
  return list;
}
