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

  it('trusts a proxy only when told which, and reads the rate limits', () => {
    expect(configFromEnv({}).trustProxy).toBe(false);
    expect(configFromEnv({ CONCORD_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(configFromEnv({ CONCORD_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(configFromEnv({ CONCORD_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(configFromEnv({ CONCORD_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,loopback' }).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16', 'loopback']);
    expect(() => configFromEnv({ CONCORD_TRUST_PROXY: 'my-proxy.local' })).toThrow(/CONCORD_TRUST_PROXY=my-proxy.local: "my-proxy.local" is not an address/);
    const limits = configFromEnv({ CONCORD_REQUESTS_PER_MINUTE: '600', CONCORD_ANONYMOUS_REQUESTS_PER_MINUTE: '9000', CONCORD_LOGINS_PER_MINUTE: '1200' });
    expect([limits.requestsPerMinute, limits.anonymousRequestsPerMinute, limits.loginsPerMinute]).toEqual([600, 9000, 1200]);
    expect(configFromEnv({}).loginsPerAccountPerMinute).toBe(10);
  });
});
