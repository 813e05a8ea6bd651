/**
 * Long randomized runs of the negotiation simulation (test/support/simulation.ts) through the real
 * server: `npm run soak -- --seeds 200 --minutes 30 [--steps 400] [--from 1000]`. Each seed runs on
 * a fresh server and database; a failing seed is printed with its error so it can be replayed
 * (`--from SEED --seeds 1`). Exits non-zero if any seed failed.
 */
import { parseArgs } from 'node:util';
import { startServer } from '../test/support/server.ts';
import { simulate } from '../test/support/simulation.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    minutes: { type: 'string', default: '5' },
    steps: { type: 'string', default: '400' },
    from: { type: 'string', default: '1000' },
  },
});
const seeds = Number(values.seeds);
const deadline = Date.now() + Number(values.minutes) * 60_000;
const steps = Number(values.steps);
const first = Number(values.from);
const failures: string[] = [];
const totals: Record<string, number> = {};
let ran = 0;
let reloads = 0;
let compensations = 0;

for (let seed = first; seed < first + seeds && Date.now() < deadline; seed++) {
  const server = await startServer({ logLevel: 'silent' });
  try {
    const report = await simulate(server, seed, steps);
    for (const [action, n] of Object.entries(report.actions)) totals[action] = (totals[action] ?? 0) + n;
    reloads += report.reloads;
    compensations += report.compensations;
    process.stdout.write(
      `seed ${seed}: ok (${Object.entries(report.actions)
        .map(([a, n]) => `${a} ${n}`)
        .join(', ')})\n`,
    );
  } catch (error) {
    failures.push(`seed ${seed}: ${(error as Error).message}`);
    process.stdout.write(`seed ${seed}: FAILED ${(error as Error).message}\n`);
  } finally {
    ran++;
    await server.close();
  }
}

process.stdout.write(
  `\n${ran} seeds, ${steps} steps each: ${failures.length} failed; updates partly taken back ${compensations}; reloads (observers' forged writes, the adversary after a refusal) ${reloads}\n`,
);
process.stdout.write(
  `actions: ${Object.entries(totals)
    .map(([a, n]) => `${a} ${n}`)
    .join(', ')}\n`,
);
for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);
process.exit(failures.length ? 1 : 0);
