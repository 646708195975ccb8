import { describe, expect, it } from 'vitest';
import { loadBackendSettings, redactRedisUrl } from './backend-config';
import { ConfigError, loadConfig } from './config';

const options = { generateKey: () => 'generated-demo-key' };

describe('loadBackendSettings', () => {
  it('selects Redis and workers from the environment', () => {
    const config = loadConfig(
      {
        CAPTASK_REDIS_URL: 'redis://127.0.0.1:6379/2',
        CAPTASK_WORKER_KEYS: 'w1, w2',
        CAPTASK_CLIENT_KEYS: 'c1',
      },
      options,
    );
    expect(config.store).toBe('redis');
    expect(config.mode).toBe('workers');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(config.redisKeyPrefix).toBe('captask:');
    expect(config.workerKeys).toEqual(['w1', 'w2']);
  });

  it('keeps memory and sandbox by default', () => {
    const config = loadConfig({}, options);
    expect(config.store).toBe('memory');
    expect(config.mode).toBe('sandbox');
    expect(config.redisUrl).toBeUndefined();
    expect(config.workerKeys).toBeUndefined();
  });

  it('reads a key prefix', () => {
    const settings = loadBackendSettings(
      { CAPTASK_REDIS_URL: 'rediss://cache.internal:6380', CAPTASK_REDIS_PREFIX: 'team-a:' },
      [],
    );
    expect(settings.redisKeyPrefix).toBe('team-a:');
  });

  it.each(['127.0.0.1:6379', 'http://127.0.0.1:6379', 'redis://'])(
    'rejects CAPTASK_REDIS_URL=%s',
    (url) => {
      const load = (): unknown => loadConfig({ CAPTASK_REDIS_URL: url }, options);
      expect(load).toThrow(ConfigError);
      expect(load).toThrow(/CAPTASK_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    },
  );

  it('rejects a worker key that is also a client key', () => {
    const load = (): unknown =>
      loadConfig(
        { CAPTASK_CLIENT_KEYS: 'shared-secret', CAPTASK_WORKER_KEYS: 'w1,shared-secret' },
        options,
      );
    expect(load).toThrow(/CAPTASK_WORKER_KEYS entry 2 is also a client key/);
    expect(load).not.toThrow(/shared-secret/);
  });
});

describe('redactRedisUrl', () => {
  it('drops user name and password', () => {
    expect(redactRedisUrl('redis://admin:hunter2@127.0.0.1:6379/1')).toBe(
      'redis://127.0.0.1:6379/1',
    );
    expect(redactRedisUrl('redis://:hunter2@127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('drops the query and fragment', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6399/0?password=hunter2')).toBe(
      'redis://127.0.0.1:6399/0',
    );
    expect(redactRedisUrl('rediss://u:p@redis.test:6380/?db=1&password=hunter2#x')).toBe(
      'rediss://redis.test:6380',
    );
  });
});
