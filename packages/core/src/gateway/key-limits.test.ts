import { describe, expect, it } from 'vitest';
import { isCaptaskError } from '../protocol/errors';
import { createManualClock } from '../server/manual-clock';
import { createMemoryStore } from '../server/memory-store';
import type { NewTask } from '../server/types';
import { withKeyLimits } from './key-limits';

const TOKEN_TASK: NewTask = {
  accountId: 'static-1',
  type: 'RecaptchaV2Task',
  task: { type: 'RecaptchaV2Task', websiteURL: 'https://example.test/', websiteKey: 'key' },
};

function forAccount(accountId: string): NewTask {
  return { ...TOKEN_TASK, accountId };
}

async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isCaptaskError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

function setUp(options: Parameters<typeof withKeyLimits>[1]) {
  const clock = createManualClock();
  const inner = createMemoryStore({ clock, sweepIntervalMs: 0 });
  const store = withKeyLimits(inner, { clock, ...options });
  return { clock, inner, store };
}

describe('withKeyLimits', () => {
  it('rejects tasks beyond maxInFlight with ERROR_NO_SLOT_AVAILABLE', async () => {
    const { store } = setUp({ defaults: { maxInFlight: 2 } });
    await store.create(TOKEN_TASK);
    await store.create(TOKEN_TASK);

    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('ERROR_NO_SLOT_AVAILABLE');
    expect(store.inFlight('static-1')).toBe(2);
  });

  it('frees a slot when a task completes', async () => {
    const { store } = setUp({ defaults: { maxInFlight: 1 } });
    const first = await store.create(TOKEN_TASK);
    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('ERROR_NO_SLOT_AVAILABLE');

    await store.complete(first.id, { status: 'ready', solution: { gRecaptchaResponse: 'x' } });

    expect(store.inFlight('static-1')).toBe(0);
    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('no error');
  });

  it('counts each account separately', async () => {
    const { store } = setUp({ defaults: { maxInFlight: 1 } });
    await store.create(forAccount('static-1'));

    expect(await errorCodeOf(store.create(forAccount('static-2')))).toBe('no error');
    expect(await errorCodeOf(store.create(forAccount('static-1')))).toBe('ERROR_NO_SLOT_AVAILABLE');
  });

  it('applies perAccount limits over the defaults', async () => {
    const { store } = setUp({
      defaults: { maxInFlight: 1 },
      perAccount: { 'static-2': { maxInFlight: 3 } },
    });
    for (let index = 0; index < 3; index++) await store.create(forAccount('static-2'));

    expect(await errorCodeOf(store.create(forAccount('static-2')))).toBe('ERROR_NO_SLOT_AVAILABLE');
  });

  it('admits at most maxInFlight of many concurrent creates', async () => {
    const { store } = setUp({ defaults: { maxInFlight: 3 } });
    const codes = await Promise.all(
      Array.from({ length: 10 }, () => errorCodeOf(store.create(TOKEN_TASK))),
    );

    expect(codes.filter((code) => code === 'no error')).toHaveLength(3);
  });

  it('limits new tasks per rolling minute', async () => {
    const { clock, store } = setUp({ defaults: { maxTasksPerMinute: 3 } });
    for (let index = 0; index < 3; index++) {
      const task = await store.create(TOKEN_TASK);
      await store.complete(task.id, { status: 'ready', solution: {} });
      clock.advance(10_000);
    }
    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('ERROR_NO_SLOT_AVAILABLE');

    // The first task was created 30 s ago; it leaves the window 60 s after its creation.
    clock.advance(29_999);
    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('ERROR_NO_SLOT_AVAILABLE');
    clock.advance(1);
    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('no error');
  });

  it('says when to retry after the rate limit', async () => {
    const { clock, store } = setUp({ defaults: { maxTasksPerMinute: 1 } });
    await store.create(TOKEN_TASK);
    clock.advance(15_000);

    await expect(store.create(TOKEN_TASK)).rejects.toThrow(/retry in 45 s/);
  });

  it('does not count rejected tasks toward the rate', async () => {
    const { store } = setUp({ defaults: { maxInFlight: 1, maxTasksPerMinute: 2 } });
    const first = await store.create(TOKEN_TASK);
    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('ERROR_NO_SLOT_AVAILABLE');
    await store.complete(first.id, { status: 'ready', solution: {} });

    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('no error');
  });

  it('releases the slot when the inner store rejects the task', async () => {
    const clock = createManualClock();
    const inner = createMemoryStore({ clock, sweepIntervalMs: 0 });
    const store = withKeyLimits(inner, { clock, defaults: { maxInFlight: 1 } });
    await inner.close();

    expect(await errorCodeOf(store.create(TOKEN_TASK))).toBe('ERROR_NO_SLOT_AVAILABLE');
    expect(store.inFlight('static-1')).toBe(0);
  });

  it('stops counting a task that never completes after staleAfterMs', async () => {
    const { clock, store } = setUp({ defaults: { maxInFlight: 1 }, staleAfterMs: 60_000 });
    await store.create(TOKEN_TASK);
    clock.advance(59_999);
    expect(store.inFlight('static-1')).toBe(1);

    clock.advance(1);
    expect(store.inFlight('static-1')).toBe(0);
  });

  it('frees the slot of an expired task', async () => {
    const { store } = setUp({ defaults: { maxInFlight: 1 } });
    const task = await store.create(TOKEN_TASK);
    await store.expire(task.id);

    expect(store.inFlight('static-1')).toBe(0);
    expect(await store.get(task.id)).toBeUndefined();
  });

  it('passes reads and poll counts through', async () => {
    const { store } = setUp({});
    const task = await store.create(TOKEN_TASK);
    const counted = await store.countPoll(task.id, 120);

    expect(counted).toMatchObject({ found: true, allowed: true, task: { polls: 1 } });
    expect((await store.get(task.id))?.polls).toBe(1);
  });
});
