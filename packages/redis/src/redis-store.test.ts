import { createManualClock, type TaskOutcome } from '@captask/core/server';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connect, deleteKeys, describeWithRedis, uniquePrefix } from '../test/redis-test-context';
import { createRedisStore, type RedisStore } from './redis-store';

const input = {
  accountId: 'acct-1',
  type: 'ImageToTextTask',
  task: { type: 'ImageToTextTask', body: 'aGVsbG8=' },
};

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeWithRedis('createRedisStore', () => {
  let first: Redis;
  let second: Redis;
  let keyPrefix: string;
  const stores: RedisStore[] = [];

  beforeAll(() => {
    first = connect();
    second = connect();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await deleteKeys(first, keyPrefix);
  });
  afterAll(async () => {
    await Promise.all([first.quit(), second.quit()]);
  });

  /** Two stores on separate connections, as two server instances would have. */
  function twoStores(
    options: { resultTtlMs?: number; pendingTtlMs?: number; completionCheckMs?: number } = {},
  ) {
    keyPrefix = uniquePrefix();
    const pair = [
      createRedisStore({ redis: first, keyPrefix, ...options }),
      createRedisStore({ redis: second, keyPrefix, ...options }),
    ] as const;
    stores.push(...pair);
    return pair;
  }

  it('stores and reads a task', async () => {
    keyPrefix = uniquePrefix();
    const clock = createManualClock();
    const store = createRedisStore({ redis: first, keyPrefix, clock });
    const created = await store.create({ ...input, callbackUrl: 'http://127.0.0.1:9/cb' });

    expect(created.id).toBeGreaterThan(2 ** 31);
    expect(Number.isSafeInteger(created.id)).toBe(true);
    expect(created.createdAt).toBe(clock.now());
    expect(await store.get(created.id)).toEqual(created);
    expect(await store.get(created.id + 1)).toBeUndefined();
  });

  it('assigns distinct ids across instances', async () => {
    const [a, b] = twoStores();
    const created = await Promise.all(
      Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? a : b).create(input)),
    );
    const ids = new Set(created.map((task) => task.id));
    expect(ids.size).toBe(400);
    for (const id of ids) expect(id).toBeGreaterThan(2 ** 31);
  });

  it('allows exactly 120 of 500 concurrent polls', async () => {
    const [a, b] = twoStores();
    const { id } = await a.create(input);

    const counts = await Promise.all(
      Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? a : b).countPoll(id, 120)),
    );
    const allowed = counts.filter((count) => count.found && count.allowed);
    const rejected = counts.filter((count) => count.found && !count.allowed);
    expect(allowed).toHaveLength(120);
    expect(rejected).toHaveLength(380);
    expect((await a.get(id))?.polls).toBe(120);
  });

  it('reports a missing task to countPoll', async () => {
    const [a] = twoStores();
    expect(await a.countPoll(2 ** 40, 120)).toEqual({ found: false });
  });

  it('completes a task exactly once under concurrency', async () => {
    const [a, b] = twoStores();
    const { id } = await a.create(input);

    const outcomes: TaskOutcome[] = Array.from({ length: 100 }, (_, i) => ({
      status: 'ready',
      solution: { text: `answer-${i}` },
    }));
    const results = await Promise.all(
      outcomes.map((outcome, i) => (i % 2 === 0 ? a : b).complete(id, outcome)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);

    const winner = outcomes[results.indexOf(true)];
    const stored = await b.get(id);
    expect(stored?.state).toBe('ready');
    expect(stored?.outcome).toEqual(winner);
    expect(
      await a.complete(id, {
        status: 'failed',
        errorCode: 'ERROR_CAPTCHA_UNSOLVABLE',
        errorDescription: 'late',
      }),
    ).toBe(false);
  });

  it('stores a failed outcome', async () => {
    const [a] = twoStores();
    const { id } = await a.create(input);
    const failure: TaskOutcome = {
      status: 'failed',
      errorCode: 'ERROR_PROXY_BANNED',
      errorDescription: 'The proxy is banned.',
    };
    expect(await a.complete(id, failure)).toBe(true);
    const stored = await a.get(id);
    expect(stored?.state).toBe('failed');
    expect(stored?.outcome).toEqual(failure);
    expect(stored?.completedAt).toBeTypeOf('number');
  });

  it('expires a pending task after pendingTtlMs', async () => {
    const [a] = twoStores({ pendingTtlMs: 150 });
    const { id } = await a.create(input);
    const ttl = await first.pttl(`${keyPrefix}task:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(150);

    await waitUntil(async () => (await a.get(id)) === undefined);
    expect(await a.countPoll(id, 120)).toEqual({ found: false });
    expect(await a.complete(id, { status: 'ready', solution: {} })).toBe(false);
  });

  it('restarts the TTL at completion with resultTtlMs', async () => {
    const [a] = twoStores({ pendingTtlMs: 60_000, resultTtlMs: 150 });
    const { id } = await a.create(input);
    expect(await first.pttl(`${keyPrefix}task:${id}`)).toBeGreaterThan(1_000);

    await a.complete(id, { status: 'ready', solution: { text: 'x' } });
    const ttl = await first.pttl(`${keyPrefix}task:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(150);
    await waitUntil(async () => (await a.get(id)) === undefined);
  });

  it('expire removes a task', async () => {
    const [a, b] = twoStores();
    const { id } = await a.create(input);
    await b.expire(id);
    expect(await a.get(id)).toBeUndefined();
  });

  it('wakes a completion waiter on another instance', async () => {
    const [a, b] = twoStores({ completionCheckMs: 60_000 });
    const { id } = await a.create(input);
    let woken = false;
    const waiting = b.waitForCompletion(id, new AbortController().signal).then(() => {
      woken = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(woken).toBe(false);

    await a.complete(id, { status: 'ready', solution: { text: 'x' } });
    await waiting;
    expect(woken).toBe(true);
  });

  it('returns at once for a finished or missing task', async () => {
    const [a, b] = twoStores({ completionCheckMs: 60_000 });
    const { id } = await a.create(input);
    await a.complete(id, { status: 'ready', solution: {} });
    await b.waitForCompletion(id, new AbortController().signal);
    await b.waitForCompletion(2 ** 45, new AbortController().signal);
  });

  it('wakes a completion waiter on expire', async () => {
    const [a, b] = twoStores({ completionCheckMs: 60_000 });
    const { id } = await a.create(input);
    const waiting = b.waitForCompletion(id, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await a.expire(id);
    await waiting;
    expect(await b.get(id)).toBeUndefined();
  });

  it('notices a task that expired through its TTL', async () => {
    const [a, b] = twoStores({ pendingTtlMs: 100, completionCheckMs: 20 });
    const { id } = await a.create(input);
    await b.waitForCompletion(id, new AbortController().signal);
    expect(await b.get(id)).toBeUndefined();
  });

  it('resolves a completion wait on abort', async () => {
    const [a] = twoStores({ completionCheckMs: 60_000 });
    const { id } = await a.create(input);
    const controller = new AbortController();
    const waiting = a.waitForCompletion(id, controller.signal);
    controller.abort(new Error('client went away'));
    await expect(waiting).resolves.toBeUndefined();
    expect((await a.get(id))?.state).toBe('processing');
  });
});
