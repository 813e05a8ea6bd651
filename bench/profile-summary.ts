/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [count]`: where a server spent its CPU in a
 * profile written by `npm run bench -- --profile` — self time by function and by package or file.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, countArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [count]\n');
  process.exit(2);
}
const count = Number(countArg) || 25;
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const root = resolve(import.meta.dirname, '..');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

/** A package name for node_modules files, a path for the project's own, or the runtime. */
function place(url: string): string {
  if (!url) return '(runtime)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = path.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  return path.startsWith('/') ? relative(root, path) : path;
}

const functions = new Map<string, number>();
const places = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = place(url);
  const name = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
  functions.set(name, (functions.get(name) ?? 0) + ms);
  places.set(where, (places.get(where) ?? 0) + ms);
}
// inclusive time of the project's own functions: what each of them costs with everything it calls
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const own = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
    const where = place(url);
    if (!url || where.startsWith('node:') || url.includes('node_modules/') || where.startsWith('bench/')) continue;
    const name = `${functionName || '(anonymous)'}  ${where}:${lineNumber + 1}`;
    if (seen.has(name)) continue;
    seen.add(name);
    own.set(name, (own.get(name) ?? 0) + ms);
  }
}

const top = (map: Map<string, number>) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(7)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
process.stdout.write(
  `${file}: ${total.toFixed(0)} ms sampled\n\nself time by function\n${top(functions)}\n\nself time by package or file\n${top(places)}\n\ninclusive time of the project's functions\n${top(own)}\n`,
);
