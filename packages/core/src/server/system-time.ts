import type { Clock, Timers } from './types';

/** The runtime's clock (`Date.now`). */
export const systemClock: Clock = { now: () => Date.now() };

/** The runtime's `setTimeout` and `clearTimeout`, looked up at call time. */
export const systemTimers: Timers = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Waits `delayMs` on the given timers. Rejects with `signal.reason` as soon as the signal aborts.
 *
 * @example
 * await sleep(1_000, controller.signal, systemTimers);
 */
export function sleep(delayMs: number, signal: AbortSignal, timers: Timers): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = timers.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
