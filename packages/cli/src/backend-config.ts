import type { ClientKeyEntry } from '@captask/core';

/** Settings for Redis and the worker API, read from the environment by `loadBackendSettings`. */
export interface BackendSettings {
  /** `CAPTASK_REDIS_URL`: keep tasks, balances and the worker queue in this Redis. */
  redisUrl?: string;
  /** `CAPTASK_REDIS_PREFIX`: prefix of every Redis key, default `captask:`. */
  redisKeyPrefix?: string;
  /** `CAPTASK_WORKER_KEYS`: comma-separated keys of remote workers; enables the worker API. */
  workerKeys?: string[];
}

/**
 * Reads the Redis and worker settings. Throws an Error whose message names the variable and
 * never repeats a key; the caller wraps it in its own error type.
 *
 * @example
 * loadBackendSettings({ CAPTASK_REDIS_URL: 'redis://127.0.0.1:6379' }, clientKeys);
 */
export function loadBackendSettings(
  env: Readonly<Record<string, string | undefined>>,
  clientKeys: readonly ClientKeyEntry[],
): BackendSettings {
  const settings: BackendSettings = {};

  const redisUrl = env.CAPTASK_REDIS_URL?.trim() ?? '';
  if (redisUrl.length > 0) {
    if (!/^rediss?:\/\/[^/\s]/.test(redisUrl)) {
      throw new Error(
        'CAPTASK_REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379.',
      );
    }
    settings.redisUrl = redisUrl;
    settings.redisKeyPrefix = env.CAPTASK_REDIS_PREFIX?.trim() || 'captask:';
  }

  const workerKeys = (env.CAPTASK_WORKER_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  const clientKeySet = new Set(clientKeys.map((entry) => entry.key));
  workerKeys.forEach((key, index) => {
    if (clientKeySet.has(key)) {
      throw new Error(
        `CAPTASK_WORKER_KEYS entry ${index + 1} is also a client key; worker keys must differ from client keys.`,
      );
    }
  });
  if (workerKeys.length > 0) settings.workerKeys = workerKeys;
  return settings;
}

/**
 * Returns the Redis URL without user name, password, query and fragment, for the banner and
 * logs. The query goes too, because a URL such as `redis://host/0?password=...` may carry the
 * password there.
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an unparsable Redis URL';
  }
}
