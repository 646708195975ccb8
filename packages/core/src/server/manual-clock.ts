import type { Clock, Timers } from './types';

/** A clock and timers that only move when `advance` is called. */
export interface ManualClock extends Clock, Timers {
  /** Moves time forward and runs every timer that falls due, in due order. */
  advance(ms: number): void;
  /** Number of timers waiting to fire. */
  readonly pendingTimers: number;
}

interface ScheduledTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/**
 * Creates a manual clock for tests: `now()` starts at `startMs` and timers fire only inside
 * `advance`. Pass it as both `clock` and `timers` to the server, store and sandbox solver.
 *
 * @example
 * const clock = createManualClock();
 * const server = createTaskServer({ clock, timers: clock, clientKeys: ['test-key'] });
 * clock.advance(5 * 60_000);
 */
export function createManualClock(startMs: number = Date.UTC(2025, 0, 1)): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, ScheduledTimer>();

  const nextDue = (limit: number): ScheduledTimer | undefined => {
    let found: ScheduledTimer | undefined;
    for (const timer of timers.values()) {
      if (timer.dueAt > limit) continue;
      if (found === undefined || timer.dueAt < found.dueAt) found = timer;
    }
    return found;
  };

  return {
    now: () => now,
    setTimeout(callback, delayMs) {
      const id = nextId++;
      timers.set(id, { id, dueAt: now + Math.max(0, delayMs), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const target = now + ms;
      for (let timer = nextDue(target); timer !== undefined; timer = nextDue(target)) {
        timers.delete(timer.id);
        now = Math.max(now, timer.dueAt);
        timer.callback();
      }
      now = target;
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}
