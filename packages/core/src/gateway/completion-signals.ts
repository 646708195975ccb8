import type { TaskOutcome, TaskStore } from '../server/types';

/** A store that can wake a waiting request when a task finishes. */
export interface CompletionAwareStore extends TaskStore {
  /**
   * Resolves once the task is no longer processing (finished, expired or never existed), or
   * as soon as `signal` aborts. Never rejects; the caller reads the task again afterwards.
   */
  waitForCompletion(id: number, signal: AbortSignal): Promise<void>;
  /** Wakes every waiter, then closes the wrapped store. */
  close(): Promise<void>;
}

/**
 * Wraps a task store so that `complete` and `expire` wake the requests waiting on that task
 * in this process. Waiters register before they read the task, so a completion between the
 * read and the wait is never missed.
 *
 * NOTE: the wake-up reaches waiters in the same process only. With several server instances
 * on one Redis store, a waiter on another instance returns at its timeout. A Redis store can
 * implement `waitForCompletion` itself by subscribing to a channel per task before the read.
 *
 * @example
 * const store = withCompletionSignals(createMemoryStore());
 * await store.waitForCompletion(taskId, AbortSignal.timeout(15_000));
 */
export function withCompletionSignals(store: TaskStore): CompletionAwareStore {
  const waiters = new Map<number, Set<() => void>>();

  const wake = (id: number): void => {
    const wakers = waiters.get(id);
    if (wakers === undefined) return;
    waiters.delete(id);
    for (const wakeOne of wakers) wakeOne();
  };

  const waitForCompletion = (id: number, signal: AbortSignal): Promise<void> => {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        waiters.get(id)?.delete(done);
        if (waiters.get(id)?.size === 0) waiters.delete(id);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      let wakers = waiters.get(id);
      if (wakers === undefined) {
        wakers = new Set();
        waiters.set(id, wakers);
      }
      wakers.add(done);

      // Read after registering: a task that finished before the registration wakes at once.
      store.get(id).then(
        (task) => {
          if (task === undefined || task.state !== 'processing') done();
        },
        () => done(),
      );
    });
  };

  return {
    waitForCompletion,

    async complete(id: number, outcome: TaskOutcome): Promise<boolean> {
      const completed = await store.complete(id, outcome);
      if (completed) wake(id);
      return completed;
    },

    async expire(id: number): Promise<void> {
      await store.expire(id);
      wake(id);
    },

    create: (input) => store.create(input),
    get: (id) => store.get(id),
    countPoll: (id, limit) => store.countPoll(id, limit),
    close: async () => {
      for (const id of [...waiters.keys()]) wake(id);
      await store.close?.();
    },
  };
}
