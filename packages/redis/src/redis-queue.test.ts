import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWorkQueue } from '../../core/test/work-queue-contract';
import {
  connect,
  deleteKeys,
  describeWithRedis,
  redisUrl,
  uniquePrefix,
} from '../test/redis-test-context';
import { createRedisQueue } from './redis-queue';

describeWithRedis('createRedisQueue', () => {
  let first: Redis;
  let second: Redis;

  beforeAll(() => {
    first = connect();
    second = connect();
  });
  afterAll(async () => {
    await Promise.all([first.quit(), second.quit()]);
  });

  if (redisUrl) {
    describeWorkQueue('createRedisQueue', async (clock) => {
      const keyPrefix = uniquePrefix();
      const queue = createRedisQueue({ redis: first, keyPrefix, clock, maxAttempts: 3 });
      const peer = createRedisQueue({ redis: second, keyPrefix, clock, maxAttempts: 3 });
      return {
        queue,
        peer,
        cleanup: async () => {
          await Promise.all([queue.close?.(), peer.close?.()]);
          await deleteKeys(first, keyPrefix);
        },
      };
    });
  }

  it('delivers an outcome to a waiter on another connection', async () => {
    const keyPrefix = uniquePrefix();
    const creator = createRedisQueue({ redis: first, keyPrefix });
    const finisher = createRedisQueue({ redis: second, keyPrefix });
    try {
      await creator.enqueue({
        taskId: 7,
        type: 'ImageToTextTask',
        task: { type: 'ImageToTextTask' },
      });
      const waiting = creator.waitForOutcome(7, new AbortController().signal);
      const [lease] = (await finisher.claim({ types: [], max: 1, leaseMs: 10_000 })).leases;
      expect(lease?.taskId).toBe(7);

      await finisher.finish(7, { status: 'ready', solution: { text: 'from peer' } });
      expect(await waiting).toEqual({ status: 'ready', solution: { text: 'from peer' } });
    } finally {
      await Promise.all([creator.close?.(), finisher.close?.()]);
      await deleteKeys(first, keyPrefix);
    }
  });

  it('reads a stored outcome when the message was missed', async () => {
    const keyPrefix = uniquePrefix();
    const queue = createRedisQueue({ redis: first, keyPrefix, outcomeCheckMs: 20 });
    try {
      const waiting = queue.waitForOutcome(8, new AbortController().signal);
      // Written straight into the outcome key with no pub/sub message, as after a lost message.
      const outcome = { status: 'failed', errorCode: 'ERROR_PROXY_BANNED', errorDescription: 'x' };
      await first.set(`${keyPrefix}outcome:8`, JSON.stringify(outcome), 'PX', 10_000);
      expect(await waiting).toEqual(outcome);
    } finally {
      await queue.close?.();
      await deleteKeys(first, keyPrefix);
    }
  });

  it('leaves no keys behind after a finished job', async () => {
    const keyPrefix = uniquePrefix();
    const queue = createRedisQueue({ redis: first, keyPrefix, outcomeTtlMs: 60_000 });
    try {
      await queue.enqueue({
        taskId: 9,
        type: 'ImageToTextTask',
        task: { type: 'ImageToTextTask' },
      });
      await queue.claim({ types: ['ImageToTextTask'], max: 1, leaseMs: 10_000 });
      await queue.finish(9, { status: 'ready', solution: {} });

      const keys = (await first.keys(`${keyPrefix}*`)).sort();
      expect(keys).toEqual([`${keyPrefix}outcome:9`, `${keyPrefix}types`]);
      expect(await first.pttl(`${keyPrefix}outcome:9`)).toBeGreaterThan(0);
    } finally {
      await queue.close?.();
      await deleteKeys(first, keyPrefix);
    }
  });
});
