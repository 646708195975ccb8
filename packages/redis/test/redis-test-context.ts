import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, inject } from 'vitest';

/** URL of the test Redis, or empty when none is available. */
export const redisUrl = inject('redisUrl');

/**
 * `describe` when a test Redis is available, else `describe.skip` with the reason in the
 * suite name so the skip is visible in the report.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisUrl) describe(name, body);
  else describe.skip(`${name} (skipped: ${inject('redisSkipReason')})`, body);
}

/** Returns a key prefix with a random UUID, so concurrent test runs use disjoint keys. */
export function uniquePrefix(): string {
  return `captask-test:${randomUUID()}:`;
}

export function connect(): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: 1 });
}

/** Deletes every key under the prefix. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
