import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../server/config.ts';

describe('configuration from the environment', () => {
  it('broadcasts updates once on disk unless told otherwise', () => {
    expect(configFromEnv({}).durability).toBe('disk');
    expect(configFromEnv({ CONCORD_DURABILITY: 'commit' }).durability).toBe('commit');
  });

  it('names the variable and the accepted values when one is wrong', () => {
    expect(() => configFromEnv({ CONCORD_DURABILITY: 'fast' })).toThrow(/CONCORD_DURABILITY=fast .*disk .*commit/);
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT=eighty is not a number/);
  });
});
