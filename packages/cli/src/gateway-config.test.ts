import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const options = { generateKey: () => 'generated-demo-key' };
const UPSTREAM_KEY = 'upstream-secret-0001';

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway settings', () => {
  it('selects relay mode with an upstream URL and key', () => {
    const config = loadConfig(
      { CAPTASK_UPSTREAM_URL: 'https://api.capmonster.cloud', CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY },
      options,
    );
    expect(config.mode).toBe('relay');
    expect(config.upstream).toEqual({ url: 'https://api.capmonster.cloud', key: UPSTREAM_KEY });
  });

  it('reads the provider, callback allow list, key limits and long-poll maximum', () => {
    const config = loadConfig(
      {
        CAPTASK_UPSTREAM_URL: 'http://127.0.0.1:9000',
        CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY,
        CAPTASK_UPSTREAM_PROVIDER: 'capsolver',
        CAPTASK_CALLBACK_ALLOW: '127.0.0.1, hooks.internal ,10.0.0.0/8',
        CAPTASK_KEY_MAX_IN_FLIGHT: '20',
        CAPTASK_KEY_MAX_PER_MINUTE: '600',
        CAPTASK_LONG_POLL_MAX_MS: '0',
      },
      options,
    );
    expect(config.upstream?.provider).toBe('capsolver');
    expect(config.callbackAllow).toEqual(['127.0.0.1', 'hooks.internal', '10.0.0.0/8']);
    expect(config.keyMaxInFlight).toBe(20);
    expect(config.keyMaxTasksPerMinute).toBe(600);
    expect(config.longPollMaxWaitMs).toBe(0);
  });

  it('stays in sandbox mode without an upstream', () => {
    const config = loadConfig({}, options);
    expect(config.mode).toBe('sandbox');
    expect(config.upstream).toBeUndefined();
  });

  it.each([
    [{ CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY }, /CAPTASK_UPSTREAM_URL is not/],
    [{ CAPTASK_UPSTREAM_URL: 'https://api.capmonster.cloud' }, /CAPTASK_UPSTREAM_KEY is not/],
    [
      { CAPTASK_UPSTREAM_URL: 'api.capmonster.cloud', CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY },
      /not an absolute URL/,
    ],
    [
      { CAPTASK_UPSTREAM_URL: 'ftp://api.example.test', CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY },
      /http or https, not ftp/,
    ],
    [
      {
        CAPTASK_UPSTREAM_URL: 'https://user:pw@api.example.test',
        CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY,
      },
      /user name or password/,
    ],
    [
      {
        CAPTASK_UPSTREAM_URL: 'https://api.capmonster.cloud',
        CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY,
        CAPTASK_UPSTREAM_PROVIDER: 'deathbycaptcha',
      },
      /CAPTASK_UPSTREAM_PROVIDER must be one of/,
    ],
    [
      {
        CAPTASK_UPSTREAM_URL: 'https://api.capmonster.cloud',
        CAPTASK_UPSTREAM_KEY: UPSTREAM_KEY,
        CAPTASK_WORKER_KEYS: 'worker-1',
      },
      /set only one/,
    ],
    [{ CAPTASK_KEY_MAX_IN_FLIGHT: '0' }, /CAPTASK_KEY_MAX_IN_FLIGHT must be a whole number from 1/],
    [{ CAPTASK_KEY_MAX_PER_MINUTE: 'lots' }, /CAPTASK_KEY_MAX_PER_MINUTE/],
    [{ CAPTASK_LONG_POLL_MAX_MS: '-5' }, /CAPTASK_LONG_POLL_MAX_MS/],
    [{ CAPTASK_KEY_RESERVE_BALANCE: 'true' }, /CAPTASK_KEY_RESERVE_BALANCE was removed/],
    [{ CAPTASK_KEY_RESERVE_BALANCE: 'false' }, /every task's price/],
  ])('rejects %j', (env, message) => {
    const error = failure(env as Record<string, string>);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(UPSTREAM_KEY);
  });
});
