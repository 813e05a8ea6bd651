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

  for (const seed of [1, 3, 4]) {
    it(`converges, schema-valid and within the rules (seed ${seed})`, async () => {
      const report = await simulate(server, seed, 200);
      expect(Object.keys(report.actions).some((a) => a.startsWith('attack'))).toBe(true);
      expect(report.actions.type ?? 0).toBeGreaterThan(5);
      expect((report.actions.bracket ?? 0) + (report.actions.alternative ?? 0)).toBeGreaterThan(3);
      expect(Object.keys(report.actions).some((a) => a.startsWith('decision'))).toBe(true);
    }, 60_000);
  }
});
