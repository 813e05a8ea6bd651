import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { simulate } from '../support/simulation.ts';

/**
 * Randomized convergence, seeded and reproducible: 8 participants through the real server (see
 * test/support/simulation.ts). A short run here; `npm run soak -- --seeds 200 --minutes 30` for long
 * ones, printing any failing seed.
 */
describe('randomized negotiation through the real server', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server.close();
  });

  /** What the runs did, together: which actions a seed reaches depends on timing as well as on the seed. */
  const done: Record<string, number> = {};

  for (const seed of [1, 3, 4]) {
    it(`converges, schema-valid and within the rules (seed ${seed})`, async () => {
      const report = await simulate(server, seed, 200);
      for (const [action, n] of Object.entries(report.actions)) done[action] = (done[action] ?? 0) + n;
      expect(report.actions.type ?? 0).toBeGreaterThan(5);
    }, 60_000);
  }

  it("exercised brackets, decisions and the adversary's attacks", () => {
    expect((done.bracket ?? 0) + (done.alternative ?? 0)).toBeGreaterThan(10);
    expect(Object.keys(done).some((a) => a.startsWith('decision'))).toBe(true);
    expect(Object.keys(done).filter((a) => a.startsWith('attack')).length).toBeGreaterThan(3);
  });
});
