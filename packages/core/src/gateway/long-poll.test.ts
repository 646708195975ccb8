import { describe, expect, it } from 'vitest';
import { createManualClock } from '../server/manual-clock';
import { createMemoryStore } from '../server/memory-store';
import type { NewTask } from '../server/types';
import { withCompletionSignals } from './completion-signals';
import {
  holdUntilFinished,
  longPollAnnouncement,
  longPollRequest,
  readLongPollCapability,
  readRequestedWaitMs,
} from './long-poll';

const NEW_TASK: NewTask = {
  accountId: 'static-1',
  type: 'ImageToTextTask',
  task: { type: 'ImageToTextTask', body: 'aW1hZ2U=' },
};

function setUp() {
  const clock = createManualClock();
  const store = withCompletionSignals(createMemoryStore({ clock, sweepIntervalMs: 0 }));
  return { clock, store };
}

/** Lets pending promise callbacks run. */
async function settle(): Promise<void> {
  for (let index = 0; index < 5; index++) await Promise.resolve();
}

function track(promise: Promise<void>): { done: boolean } {
  const state = { done: false };
  void promise.then(() => {
    state.done = true;
  });
  return state;
}

describe('withCompletionSignals', () => {
  it('wakes a waiter when the task completes', async () => {
    const { store } = setUp();
    const task = await store.create(NEW_TASK);
    const wait = track(store.waitForCompletion(task.id, new AbortController().signal));
    await settle();
    expect(wait.done).toBe(false);

    await store.complete(task.id, { status: 'ready', solution: { text: 'abc' } });
    await settle();
    expect(wait.done).toBe(true);
  });

  it('wakes every waiter of the task and no other', async () => {
    const { store } = setUp();
    const task = await store.create(NEW_TASK);
    const other = await store.create(NEW_TASK);
    const signal = new AbortController().signal;
    const waits = [1, 2, 3].map(() => track(store.waitForCompletion(task.id, signal)));
    const otherWait = track(store.waitForCompletion(other.id, signal));

    await store.complete(task.id, { status: 'failed', errorCode: 'E', errorDescription: 'e' });
    await settle();
    expect(waits.every((wait) => wait.done)).toBe(true);
    expect(otherWait.done).toBe(false);
  });

  it('returns at once for a finished or unknown task', async () => {
    const { store } = setUp();
    const task = await store.create(NEW_TASK);
    await store.complete(task.id, { status: 'ready', solution: {} });
    const signal = new AbortController().signal;

    const finished = track(store.waitForCompletion(task.id, signal));
    const unknown = track(store.waitForCompletion(12345, signal));
    await settle();
    expect(finished.done).toBe(true);
    expect(unknown.done).toBe(true);
  });

  it('returns when the signal aborts', async () => {
    const { store } = setUp();
    const task = await store.create(NEW_TASK);
    const controller = new AbortController();
    const wait = track(store.waitForCompletion(task.id, controller.signal));
    await settle();

    controller.abort();
    await settle();
    expect(wait.done).toBe(true);
  });

  it('wakes waiters when the task expires', async () => {
    const { store } = setUp();
    const task = await store.create(NEW_TASK);
    const wait = track(store.waitForCompletion(task.id, new AbortController().signal));
    await store.expire(task.id);
    await settle();
    expect(wait.done).toBe(true);
  });

  it('wakes waiters on close', async () => {
    const { store } = setUp();
    const task = await store.create(NEW_TASK);
    const wait = track(store.waitForCompletion(task.id, new AbortController().signal));
    await store.close();
    await settle();
    expect(wait.done).toBe(true);
  });

  it('does not miss a completion that races the registration', async () => {
    const { store } = setUp();
    const task = await store.create(NEW_TASK);
    const waiting = store.waitForCompletion(task.id, new AbortController().signal);
    const completing = store.complete(task.id, { status: 'ready', solution: {} });
    await Promise.all([waiting, completing]);
    expect((await store.get(task.id))?.state).toBe('ready');
  });
});

describe('holdUntilFinished', () => {
  it('ends when the task finishes and clears its timer', async () => {
    const { clock, store } = setUp();
    const task = await store.create(NEW_TASK);
    const hold = track(
      holdUntilFinished({ store, taskId: task.id, waitMs: 15_000, timers: clock }),
    );
    await settle();
    expect(clock.pendingTimers).toBe(1);

    clock.advance(3_000);
    await store.complete(task.id, { status: 'ready', solution: {} });
    await settle();
    expect(hold.done).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends after waitMs when the task stays processing', async () => {
    const { clock, store } = setUp();
    const task = await store.create(NEW_TASK);
    const hold = track(
      holdUntilFinished({ store, taskId: task.id, waitMs: 15_000, timers: clock }),
    );
    clock.advance(14_999);
    await settle();
    expect(hold.done).toBe(false);

    clock.advance(1);
    await settle();
    expect(hold.done).toBe(true);
  });

  it('ends when the request signal aborts', async () => {
    const { clock, store } = setUp();
    const task = await store.create(NEW_TASK);
    const controller = new AbortController();
    const hold = track(
      holdUntilFinished({
        store,
        taskId: task.id,
        waitMs: 15_000,
        signal: controller.signal,
        timers: clock,
      }),
    );
    controller.abort();
    await settle();
    expect(hold.done).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not wait with waitMs 0 or an aborted signal', async () => {
    const { clock, store } = setUp();
    const task = await store.create(NEW_TASK);
    const zero = track(holdUntilFinished({ store, taskId: task.id, waitMs: 0, timers: clock }));
    const aborted = track(
      holdUntilFinished({
        store,
        taskId: task.id,
        waitMs: 1_000,
        signal: AbortSignal.abort(),
        timers: clock,
      }),
    );
    await settle();
    expect(zero.done).toBe(true);
    expect(aborted.done).toBe(true);
  });
});

describe('long-poll extension fields', () => {
  it('reads a requested wait, clamped to the maximum', () => {
    expect(readRequestedWaitMs({ ...longPollRequest(15_000) }, 20_000)).toBe(15_000);
    expect(readRequestedWaitMs({ ...longPollRequest(60_000) }, 20_000)).toBe(20_000);
  });

  it.each([
    [{}],
    [{ captask: null }],
    [{ captask: 'x' }],
    [{ captask: { waitMs: '5000' } }],
    [{ captask: { waitMs: -1 } }],
    [{ captask: { waitMs: Number.NaN } }],
  ])('reads no wait from %j', (body) => {
    expect(readRequestedWaitMs(body as Record<string, unknown>, 20_000)).toBe(0);
  });

  it('round-trips the announcement', () => {
    const answer = { errorId: 0, taskId: 1, ...longPollAnnouncement(20_000) };
    expect(readLongPollCapability(answer)).toEqual({ maxWaitMs: 20_000 });
  });

  it.each([
    [{ errorId: 0, taskId: 1 }],
    [{ captask: {} }],
    [{ captask: { longPoll: { maxWaitMs: 0 } } }],
    [{ captask: { longPoll: true } }],
  ])('reads no capability from %j', (answer) => {
    expect(readLongPollCapability(answer as Record<string, unknown>)).toBeUndefined();
  });
});
