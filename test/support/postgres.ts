import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.ts';

/** Debian's PostgreSQL 15 binaries (`postgresql` package); PG_BIN moves them. */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export const hasPostgres = (): boolean => existsSync(join(BIN, 'initdb'));

/** A throwaway PostgreSQL server in a temporary folder, on a free port, for one test file. */
export interface Postgres {
  /** postgres://concord@127.0.0.1:PORT/concord */
  url: string;
  port: number;
  dir: string;
  /** Stops it fast (`-m immediate`: as if the machine lost power) or cleanly. */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** Stops it and removes its folder. */
  destroy(): void;
}

/**
 * initdb refuses to run as root, so when the tests run as root the cluster belongs to the
 * `postgres` user the Debian package creates, and its commands run as that user.
 */
function run(args: string[], user: string | null): void {
  const [command, ...rest] = user ? ['runuser', '-u', user, '--', ...args] : args;
  const result = spawnSync(command!, rest, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
}

export async function startPostgres(): Promise<Postgres> {
  if (!hasPostgres()) throw new Error(`no PostgreSQL at ${BIN}: install Debian's postgresql package (.ci/run does) or set PG_BIN`);
  const user = process.getuid?.() === 0 ? 'postgres' : null;
  const dir = mkdtempSync(join(tmpdir(), 'concord-pg-'));
  if (user) {
    const id = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
    chownSync(dir, Number(id.stdout), Number(gid.stdout));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run([join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'concord', '--no-sync', '-E', 'UTF8'], user);
  const pgCtl = (...args: string[]) => run([join(BIN, 'pg_ctl'), '-D', data, '-w', ...args], user);
  const start = () => pgCtl('-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), 'start');
  start();
  run([join(BIN, 'createdb'), '-h', '127.0.0.1', '-p', String(port), '-U', 'concord', 'concord'], user);
  let running = true;
  const stop = (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    pgCtl('-m', mode, 'stop');
    running = false;
  };
  return {
    url: `postgres://concord@127.0.0.1:${port}/concord`,
    port,
    dir,
    stop,
    start() {
      if (running) return;
      start();
      running = true;
    },
    destroy() {
      try {
        stop('immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
