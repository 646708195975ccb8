import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock';
import { createMemoryStore } from './memory-store';

const input = { accountId: 'a1', type: 'ImageToTextTask', task: { type: 'ImageToTextTask' } };

describe('createMemoryStore', () => {
  it('assigns random ids above 2^31', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const ids = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const task = await store.create(input);
      expect(task.id).toBeGreaterThan(2 ** 31);
      expect(Number.isSafeInteger(task.id)).toBe(true);
      ids.add(task.id);
    }
    expect(ids.size).toBe(1000);
  });

  it('keeps a finished task for resultTtlMs', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({ clock, resultTtlMs: 300_000, sweepIntervalMs: 0 });
    const { id } = await store.create(input);
    clock.advance(10_000);
    expect(await store.complete(id, { status: 'ready', solution: { text: 'abc' } })).toBe(true);

    clock.advance(299_999);
    expect((await store.get(id))?.state).toBe('ready');
    clock.advance(1);
    expect(await store.get(id)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('expires a pending task after pendingTtlMs', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({ clock, pendingTtlMs: 60_000, sweepIntervalMs: 0 });
    const { id } = await store.create(input);
    clock.advance(59_999);
    expect((await store.get(id))?.state).toBe('processing');
    clock.advance(1);
    expect(await store.countPoll(id, 120)).toEqual({ found: false });
    expect(await store.complete(id, { status: 'ready', solution: {} })).toBe(false);
  });

  it('sweep drops only expired tasks', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({
      clock,
      resultTtlMs: 1_000,
      pendingTtlMs: 10_000,
      sweepIntervalMs: 0,
    });
    const done = await store.create(input);
    const pending = await store.create(input);
    await store.complete(done.id, {
      status: 'failed',
      errorCode: 'ERROR_CAPTCHA_UNSOLVABLE',
      errorDescription: 'x',
    });
    clock.advance(1_000);
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(1);
    expect((await store.get(pending.id))?.state).toBe('processing');
  });

  it('counts polls up to the limit', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const { id } = await store.create(input);
    for (let i = 1; i <= 3; i++) {
      const count = await store.countPoll(id, 3);
      expect(count).toMatchObject({ found: true, allowed: true, task: { polls: i } });
    }
    const fourth = await store.countPoll(id, 3);
    expect(fourth).toMatchObject({ found: true, allowed: false, task: { polls: 3 } });
    expect(await store.countPoll(12345, 3)).toEqual({ found: false });
  });

  it('allows exactly limit polls when they run concurrently', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const { id } = await store.create(input);
    const results = await Promise.all(Array.from({ length: 500 }, () => store.countPoll(id, 120)));
    expect(results.filter((result) => result.found && result.allowed)).toHaveLength(120);
  });

  it('completes a task only once', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const { id } = await store.create(input);
    expect(await store.complete(id, { status: 'ready', solution: { text: 'one' } })).toBe(true);
    expect(await store.complete(id, { status: 'ready', solution: { text: 'two' } })).toBe(false);
    expect((await store.get(id))?.outcome).toEqual({ status: 'ready', solution: { text: 'one' } });
  });

  it('returns copies that do not change the store', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const created = await store.create(input);
    created.polls = 99;
    expect((await store.get(created.id))?.polls).toBe(0);
  });

  it('rejects tasks beyond maxBytes', async () => {
    const clock = createManualClock();
    const big = { ...input, task: { type: 'ImageToTextTask', body: 'a'.repeat(1_000) } };
    const size = JSON.stringify(big.task).length;
    const store = createMemoryStore({ clock, maxBytes: 3 * size, sweepIntervalMs: 0 });
    const first = await store.create(big);
    await store.create(big);
    await store.create(big);
    expect(store.bytes).toBe(3 * size);
    await expect(store.create(big)).rejects.toMatchObject({
      code: 'ERROR_NO_SLOT_AVAILABLE',
      description: expect.stringContaining(`maximum ${3 * size} bytes`),
    });

    await store.expire(first.id);
    expect(store.bytes).toBe(2 * size);
    await store.create(big);
    expect(store.bytes).toBe(3 * size);
  });

  it('gives back the bytes of expired tasks', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({
      clock,
      resultTtlMs: 1_000,
      maxBytes: 10_000,
      sweepIntervalMs: 0,
    });
    const done = await store.create(input);
    await store.complete(done.id, { status: 'ready', solution: { text: 'x' } });
    expect(store.bytes).toBeGreaterThan(0);
    clock.advance(1_000);
    expect(store.sweep()).toBe(1);
    expect(store.bytes).toBe(0);
  });

  it('rejects tasks beyond maxTasks', async () => {
    const store = createMemoryStore({ maxTasks: 2, sweepIntervalMs: 0 });
    await store.create(input);
    await store.create(input);
    await expect(store.create(input)).rejects.toMatchObject({ code: 'ERROR_NO_SLOT_AVAILABLE' });
  });

  it('holds 100,000 pending tasks', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    for (let i = 0; i < 100_000; i++) await store.create(input);
    expect(store.size).toBe(100_000);
    expect(store.sweep()).toBe(0);
  });

  it('sweeps on its own timer until closed', async () => {
    const clock = createManualClock();
    const store = createMemoryStore({
      clock,
      timers: clock,
      resultTtlMs: 1,
      pendingTtlMs: 1,
      sweepIntervalMs: 5,
    });
    expect(clock.pendingTimers).toBe(0);
    await store.create(input);
    clock.advance(5);
    expect(store.size).toBe(0);
    await store.create(input);
    clock.advance(5);
    expect(store.size).toBe(0);
    await store.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
