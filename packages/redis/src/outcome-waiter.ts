import type { TaskOutcome } from '@captask/core/server';
import type { Redis } from 'ioredis';

export interface OutcomeWaiterOptions {
  redis: Redis;
  /** Pub/sub channel whose messages are `{"taskId":..,"outcome":..}`. */
  channel: string;
  /** Key where an outcome is kept for a while after it was published. */
  outcomeKey(taskId: number): string;
  /** Interval of the direct read that covers pub/sub messages lost during a reconnect, in ms. */
  checkEveryMs: number;
}

export interface OutcomeWaiter {
  wait(taskId: number, signal: AbortSignal): Promise<TaskOutcome>;
  close(): Promise<void>;
}

type Settle = { resolve(outcome: TaskOutcome): void; reject(reason: unknown): void };

/**
 * Delivers recorded outcomes to the promises waiting for them. It subscribes on a duplicate
 * connection (a subscribed connection can run no other command) when the first wait starts,
 * and reads the outcome key once after subscribing, so an outcome recorded just before the
 * subscription is not missed.
 */
export function createOutcomeWaiter(options: OutcomeWaiterOptions): OutcomeWaiter {
  const { redis } = options;
  const waiters = new Map<number, Set<Settle>>();
  let subscriber: Redis | undefined;
  let subscribed: Promise<unknown> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  function deliver(taskId: number, outcome: TaskOutcome): void {
    const pending = waiters.get(taskId);
    waiters.delete(taskId);
    for (const settle of pending ?? []) settle.resolve(outcome);
    if (waiters.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  function onMessage(channel: string, message: string): void {
    if (channel !== options.channel) return;
    let parsed: { taskId: number; outcome: TaskOutcome };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    deliver(parsed.taskId, parsed.outcome);
  }

  async function readStored(taskIds: number[]): Promise<void> {
    if (taskIds.length === 0) return;
    const values = await redis.mget(taskIds.map(options.outcomeKey));
    values.forEach((value, index) => {
      if (value !== null) deliver(taskIds[index] as number, JSON.parse(value) as TaskOutcome);
    });
  }

  function startChecking(): void {
    if (timer !== undefined) return;
    timer = setInterval(() => {
      readStored([...waiters.keys()]).catch(() => undefined);
    }, options.checkEveryMs);
    timer.unref?.();
  }

  function subscribe(): Promise<unknown> {
    if (subscribed === undefined) {
      subscriber = redis.duplicate();
      subscriber.on('message', onMessage);
      // Errors reach the waiters through the direct reads; the listener keeps ioredis from
      // reporting them as unhandled.
      subscriber.on('error', () => undefined);
      const connection = subscriber;
      subscribed = connection.subscribe(options.channel).catch((error: unknown) => {
        subscribed = undefined;
        connection.disconnect();
        throw error;
      });
    }
    return subscribed;
  }

  return {
    async wait(taskId: number, signal: AbortSignal): Promise<TaskOutcome> {
      if (closed) throw new Error('The Redis work queue is closed.');
      signal.throwIfAborted();

      const result = new Promise<TaskOutcome>((resolve, reject) => {
        const pending = waiters.get(taskId) ?? new Set<Settle>();
        waiters.set(taskId, pending);
        const onAbort = (): void => {
          pending.delete(settle);
          if (pending.size === 0) waiters.delete(taskId);
          reject(signal.reason);
        };
        const settle: Settle = {
          resolve(outcome) {
            signal.removeEventListener('abort', onAbort);
            resolve(outcome);
          },
          reject,
        };
        pending.add(settle);
        signal.addEventListener('abort', onAbort, { once: true });
      });

      // An abort during the awaits below rejects `result` before it is returned to the caller.
      result.catch(() => undefined);
      // A failed subscribe or read leaves the wait to the periodic direct read.
      startChecking();
      await subscribe().catch(() => undefined);
      await readStored([taskId]).catch(() => undefined);
      return result;
    },

    async close(): Promise<void> {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      const error = new Error('The Redis work queue was closed while a task was waiting.');
      for (const pending of waiters.values()) {
        for (const settle of pending) settle.reject(error);
      }
      waiters.clear();
      if (subscriber !== undefined) await subscriber.quit().catch(() => undefined);
    },
  };
}
