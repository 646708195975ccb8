import { CaptaskError } from '../protocol/errors';
import type { ClientTimers, TaskId } from './types';

/** Builds the CLIENT_ABORTED error for the caller's signal, carrying its reason as `cause`. */
export function abortedError(
  signal: AbortSignal,
  context: { method?: string; taskId?: TaskId } = {},
): CaptaskError {
  return new CaptaskError('CLIENT_ABORTED', { ...context, cause: signal.reason });
}

/** Throws CLIENT_ABORTED when the caller's signal is already aborted. */
export function throwIfAborted(
  signal: AbortSignal | undefined,
  context: { method?: string; taskId?: TaskId } = {},
): void {
  if (signal?.aborted) throw abortedError(signal, context);
}

/** An internal signal that follows the caller's one and can also time out on its own. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Whether the internal timeout fired, as opposed to the caller aborting. */
  timedOut(): boolean;
  /** Clears the timeout and detaches from the caller's signal. */
  dispose(): void;
}

/**
 * Links an internal controller to the caller's signal and a timeout. The library aborts
 * only its own controller, never the caller's.
 */
export function linkSignal(
  caller: AbortSignal | undefined,
  timeoutMs: number,
  timers: ClientTimers,
): LinkedSignal {
  const internal = new AbortController();
  let fired = false;
  const handle = timers.setTimeout(() => {
    fired = true;
    internal.abort(new Error(`request timed out after ${timeoutMs} ms`));
  }, timeoutMs);

  const joined = joinSignals(caller, internal.signal);
  return {
    signal: joined.signal,
    timedOut: () => fired,
    dispose: () => {
      timers.clearTimeout(handle);
      joined.detach();
    },
  };
}

function joinSignals(
  caller: AbortSignal | undefined,
  internal: AbortSignal,
): { signal: AbortSignal; detach(): void } {
  if (caller === undefined) return { signal: internal, detach: () => {} };
  if (typeof AbortSignal.any === 'function') {
    return { signal: AbortSignal.any([caller, internal]), detach: () => {} };
  }

  // Runtimes without AbortSignal.any: forward both signals into one more controller by hand.
  const joined = new AbortController();
  const forwardCaller = (): void => joined.abort(caller.reason);
  const forwardInternal = (): void => joined.abort(internal.reason);
  if (caller.aborted) forwardCaller();
  caller.addEventListener('abort', forwardCaller, { once: true });
  internal.addEventListener('abort', forwardInternal, { once: true });
  return {
    signal: joined.signal,
    detach: () => {
      caller.removeEventListener('abort', forwardCaller);
      internal.removeEventListener('abort', forwardInternal);
    },
  };
}

/**
 * Waits `ms` milliseconds on the injected timers. An abort clears the timer and rejects
 * with CLIENT_ABORTED naming `method` and `taskId`; no timer or listener stays behind either way.
 */
export function sleep(
  ms: number,
  options: { signal?: AbortSignal; timers: ClientTimers; method?: string; taskId?: TaskId },
): Promise<void> {
  const { signal, timers } = options;
  const context = { method: options.method, taskId: options.taskId };
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal, context));
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      reject(abortedError(signal as AbortSignal, context));
    };
    const handle = timers.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts. Used for
 * body reads, which an injected fetch may not stop on abort. A late rejection is swallowed.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
