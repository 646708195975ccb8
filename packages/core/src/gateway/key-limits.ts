import { CaptaskError } from '../protocol/errors';
import { systemClock } from '../server/system-time';
import type { Clock, NewTask, StoredTask, TaskOutcome, TaskStore } from '../server/types';

/** Limits for the tasks of one downstream account. Absent fields mean no limit. */
export interface KeyLimits {
  /** Tasks that may be processing at once. */
  maxInFlight?: number;
  /** New tasks per rolling 60-second window. */
  maxTasksPerMinute?: number;
}

export interface KeyLimitsOptions {
  /** Limits for accounts that `perAccount` does not name. */
  defaults?: KeyLimits;
  /** Limits by account id (such as `static-1`), replacing `defaults` for that account. */
  perAccount?: Readonly<Record<string, KeyLimits>>;
  clock?: Clock;
  /**
   * Age after which a task that never completed stops counting as in flight, in ms, so that a
   * task the store dropped cannot hold a slot forever. Default 600,000 (10 minutes).
   */
  staleAfterMs?: number;
}

/** A task store that enforces per-account limits in `create`. */
export interface LimitedTaskStore extends TaskStore {
  /** Tasks of the account counted as in flight now. */
  inFlight(accountId: string): number;
}

interface Reservation {
  accountId: string;
  startedAt: number;
}

const WINDOW_MS = 60_000;

/**
 * Wraps a task store so that `create` enforces per-account limits on tasks in flight and new
 * tasks per minute. A task over either limit fails with ERROR_NO_SLOT_AVAILABLE, which the
 * server sends to the caller unchanged. State lives in this process only. The task's price is
 * not checked here, because createTask reserves it through the account source.
 *
 * @example
 * const store = withKeyLimits(createMemoryStore(), {
 *   defaults: { maxInFlight: 20, maxTasksPerMinute: 120 },
 *   perAccount: { 'static-2': { maxInFlight: 2 } },
 * });
 * const server = createTaskServer({ store, clientKeys, solvers });
 */
export function withKeyLimits(store: TaskStore, options: KeyLimitsOptions = {}): LimitedTaskStore {
  const clock = options.clock ?? systemClock;
  const staleAfterMs = options.staleAfterMs ?? 10 * 60_000;
  const running = new Map<number, Reservation>();
  const pending = new Set<Reservation>();
  const recentStarts = new Map<string, number[]>();

  const limitsOf = (accountId: string): KeyLimits =>
    options.perAccount?.[accountId] ?? options.defaults ?? {};

  const reservationsOf = (accountId: string): Reservation[] => {
    const now = clock.now();
    const found: Reservation[] = [...pending].filter((entry) => entry.accountId === accountId);
    for (const [id, entry] of running) {
      if (now - entry.startedAt >= staleAfterMs) running.delete(id);
      else if (entry.accountId === accountId) found.push(entry);
    }
    return found;
  };

  const startsInWindow = (accountId: string): number[] => {
    const cutoff = clock.now() - WINDOW_MS;
    const starts = (recentStarts.get(accountId) ?? []).filter((time) => time > cutoff);
    recentStarts.set(accountId, starts);
    return starts;
  };

  /** Checks the count limits and records the new task; no await, so checks cannot interleave. */
  const admit = (input: NewTask, limits: KeyLimits): Reservation => {
    const inFlight = reservationsOf(input.accountId).length;
    if (limits.maxInFlight !== undefined && inFlight >= limits.maxInFlight) {
      throw new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
        description: `This key already has ${inFlight} tasks in flight, its maximum; retry when one finishes.`,
      });
    }
    const starts = startsInWindow(input.accountId);
    if (limits.maxTasksPerMinute !== undefined && starts.length >= limits.maxTasksPerMinute) {
      const retryInS = Math.ceil(((starts[0] ?? 0) + WINDOW_MS - clock.now()) / 1000);
      throw new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
        description: `This key created ${starts.length} tasks in the last minute, its maximum; retry in ${retryInS} s.`,
        retryable: true,
      });
    }
    const reservation: Reservation = { accountId: input.accountId, startedAt: clock.now() };
    starts.push(reservation.startedAt);
    pending.add(reservation);
    return reservation;
  };

  const rollBack = (reservation: Reservation): void => {
    pending.delete(reservation);
    const starts = recentStarts.get(reservation.accountId) ?? [];
    const index = starts.lastIndexOf(reservation.startedAt);
    if (index !== -1) starts.splice(index, 1);
  };

  return {
    inFlight: (accountId) => reservationsOf(accountId).length,

    async create(input: NewTask): Promise<StoredTask> {
      const reservation = admit(input, limitsOf(input.accountId));
      try {
        const task = await store.create(input);
        running.set(task.id, reservation);
        return task;
      } catch (error) {
        rollBack(reservation);
        throw error;
      } finally {
        pending.delete(reservation);
      }
    },

    async complete(id: number, outcome: TaskOutcome): Promise<boolean> {
      const completed = await store.complete(id, outcome);
      if (completed) running.delete(id);
      return completed;
    },

    async expire(id: number): Promise<void> {
      running.delete(id);
      await store.expire(id);
    },

    get: (id) => store.get(id),
    countPoll: (id, limit) => store.countPoll(id, limit),
    ...(store.waitForCompletion === undefined
      ? {}
      : {
          waitForCompletion: (id, signal) =>
            store.waitForCompletion?.(id, signal) ?? Promise.resolve(),
        }),
    close: async () => {
      await store.close?.();
    },
  };
}
