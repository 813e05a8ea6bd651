import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './processes.ts';

const REDIS = process.env.REDIS_SERVER ?? 'redis-server';

export const hasRedis = (): boolean => spawnSync(REDIS, ['--version']).status === 0;

/** A throwaway Redis on a free port, keeping nothing on disk, that a test can kill and restart. */
export interface Redis {
  url: string;
  port: number;
  kill(): Promise<void>;
  start(): Promise<void>;
}

export async function startRedis(): Promise<Redis> {
  if (!hasRedis()) throw new Error(`no ${REDIS}: install Debian's redis-server package (.ci/run does) or set REDIS_SERVER`);
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const started = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      started.stdout!.on('data', (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
    child = started;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      if (!child || child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
    start,
  };
}
