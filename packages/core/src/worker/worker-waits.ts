import type { Timers } from '../server/types';

/**
 * Returns the wait before repeating a request after `failures` failures in a row: `baseMs`,
 * doubled for each further failure, at most 30 s (or `baseMs` when that is larger).
 */
export function retryDelay(baseMs: number, failures: number): number {
  return Math.min(baseMs * 2 ** (failures - 1), Math.max(baseMs, 30_000));
}

/** Waits `ms`, or less when the signal aborts; never rejects. */
export function pause(ms: number, signal: AbortSignal, timers: Timers): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = timers.setTimeout(done, ms);
    function done(): void {
      timers.clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Resolves when one of the runs settles or the signal aborts. */
export function nextSettled(runs: ReadonlySet<Promise<void>>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    function done(): void {
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
    for (const run of runs) run.then(done, done);
  });
}
