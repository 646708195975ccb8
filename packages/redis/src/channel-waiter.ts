import type { Redis } from 'ioredis';

export interface ChannelWaiterOptions<Value> {
  redis: Redis;
  /** Pub/sub channel that announces values. */
  channel: string;
  /** Reads a message; undefined skips it. */
  parseMessage(message: string): { taskId: number; value: Value } | undefined;
  /** Reads the current values of tasks straight from Redis; undefined means not there yet. */
  readStored(taskIds: readonly number[]): Promise<(Value | undefined)[]>;
  /** Interval of the direct read that covers messages lost during a reconnect, in ms. */
  checkEveryMs: number;
}

export interface ChannelWaiter<Value> {
  /** Resolves with the task's value; rejects with the signal's reason on abort. */
  wait(taskId: number, signal: AbortSignal): Promise<Value>;
  /** Rejects every pending wait and closes the subscriber connection. */
  close(): Promise<void>;
}

type Settle<Value> = { resolve(value: Value): void; reject(reason: unknown): void };

/**
 * Delivers values that other connections announce on a pub/sub channel to the promises
 * waiting for them. When the first wait starts, it subscribes on a duplicate connection,
 * because a subscribed connection can run no other command. Each wait reads the stored value once
 * after subscribing, so a value written just before the subscription is not missed, and a
 * timer repeats that read while waits are pending.
 */
export function createChannelWaiter<Value>(
  options: ChannelWaiterOptions<Value>,
): ChannelWaiter<Value> {
  const { redis } = options;
  const waiters = new Map<number, Set<Settle<Value>>>();
  let subscriber: Redis | undefined;
  let subscribed: Promise<unknown> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  function deliver(taskId: number, value: Value): void {
    const pending = waiters.get(taskId);
    waiters.delete(taskId);
    for (const settle of pending ?? []) settle.resolve(value);
    if (waiters.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  function onMessage(channel: string, message: string): void {
    if (channel !== options.channel) return;
    const parsed = options.parseMessage(message);
    if (parsed !== undefined) deliver(parsed.taskId, parsed.value);
  }

  async function readStored(taskIds: number[]): Promise<void> {
    if (taskIds.length === 0) return;
    const values = await options.readStored(taskIds);
    values.forEach((value, index) => {
      if (value !== undefined) deliver(taskIds[index] as number, value);
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
      const connection = redis.duplicate();
      subscriber = connection;
      connection.on('message', onMessage);
      // Errors reach the waits through the periodic direct read; the listener keeps ioredis
      // from reporting them as unhandled.
      connection.on('error', () => undefined);
      subscribed = connection.subscribe(options.channel).catch((error: unknown) => {
        subscribed = undefined;
        connection.disconnect();
        throw error;
      });
    }
    return subscribed;
  }

  return {
    async wait(taskId: number, signal: AbortSignal): Promise<Value> {
      if (closed) throw new Error('The Redis connection of this waiter is closed.');
      signal.throwIfAborted();

      const result = new Promise<Value>((resolve, reject) => {
        const pending = waiters.get(taskId) ?? new Set<Settle<Value>>();
        waiters.set(taskId, pending);
        const onAbort = (): void => {
          pending.delete(settle);
          if (pending.size === 0) waiters.delete(taskId);
          reject(signal.reason);
        };
        const settle: Settle<Value> = {
          resolve(value) {
            signal.removeEventListener('abort', onAbort);
            resolve(value);
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
      const error = new Error('The Redis connection was closed while a task was waiting.');
      for (const pending of waiters.values()) {
        for (const settle of pending) settle.reject(error);
      }
      waiters.clear();
      if (subscriber !== undefined) await subscriber.quit().catch(() => undefined);
    },
  };
}
