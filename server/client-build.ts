import { existsSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** Where the browser app is built and served from; CONCORD_CLIENT_DIR moves it (the e2e suite keeps its own). */
export const CLIENT_DIST = process.env.CONCORD_CLIENT_DIR ? resolve(process.env.CONCORD_CLIENT_DIR) : join(ROOT, 'dist/client');
const STAMP = join(CLIENT_DIST, '.build-stamp');
/** What the browser bundle is made from: a change to any of these makes the build stale. */
const SOURCES = ['client', 'shared', 'vite.config.ts', 'scripts/precompress.ts', 'package-lock.json'];

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** The client build is missing, or older than one of its sources. */
export function clientBuildIsStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const built = Number(readFileSync(STAMP, 'utf8'));
  return SOURCES.map((s) => join(ROOT, s))
    .filter(existsSync)
    .some((path) => newestChange(path) > built);
}

/** Builds the browser app with Vite when it is missing or stale (npm start does this). */
export async function ensureClientBuild(log: (message: string) => void): Promise<void> {
  if (!clientBuildIsStale()) return;
  log('building the browser app (vite build)…');
  const { build } = await import('vite');
  const startedAt = Date.now();
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: CLIENT_DIST } });
  writeFileSync(STAMP, String(startedAt));
  log(`browser app built in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}
