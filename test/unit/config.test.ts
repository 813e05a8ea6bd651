import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../server/config.ts';

describe('configuration from the environment', () => {
  it('broadcasts updates once on disk unless told otherwise', () => {
    expect(configFromEnv({}).durability).toBe('disk');
    expect(configFromEnv({ CONCORD_DURABILITY: 'commit' }).durability).toBe('commit');
  });

  it('sizes the per-connection and per-document caps in MB', () => {
    expect(configFromEnv({}).maxBytesPerMinute).toBe(32 * 1024 * 1024);
    expect(configFromEnv({}).maxDocumentBytes).toBe(64 * 1024 * 1024);
    const set = configFromEnv({ CONCORD_MAX_MB_PER_MINUTE: '8', CONCORD_MAX_DOCUMENT_MB: '256' });
    expect(set.maxBytesPerMinute).toBe(8 * 1024 * 1024);
    expect(set.maxDocumentBytes).toBe(256 * 1024 * 1024);
    expect(() => configFromEnv({ CONCORD_MAX_DOCUMENT_MB: 'big' })).toThrow(/CONCORD_MAX_DOCUMENT_MB=big is not a number/);
  });

  it('names the variable and the accepted values when one is wrong', () => {
    expect(() => configFromEnv({ CONCORD_DURABILITY: 'fast' })).toThrow(/CONCORD_DURABILITY=fast .*disk .*commit/);
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT=eighty is not a number/);
  });
});
