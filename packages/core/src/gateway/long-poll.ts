import type { Timers } from '../server/types';
import type { CompletionAwareStore } from './completion-signals';

/**
 * Long polling between captask's own client and server. The client asks for it with an
 * extension field in the getTaskResult body, `"captask": { "waitMs": 15000 }`, which other
 * servers ignore; the server announces it with `"captask": { "longPoll": { "maxWaitMs": 20000 } }`
 * in its createTask and getBalance responses, which other clients ignore.
 */

/** Name of the extension field in request and response bodies. */
export const EXTENSION_FIELD = 'captask';

/** Default maximum hold of one getTaskResult request, in ms. */
export const DEFAULT_LONG_POLL_MAX_WAIT_MS = 20_000;

/** Long-polling capability that a server announces. */
export interface LongPollCapability {
  /** Maximum time the server keeps one getTaskResult request open, in ms. */
  maxWaitMs: number;
}

/**
 * Returns the extension field a server adds to its createTask and getBalance responses.
 *
 * @example
 * ({ errorId: 0, taskId, ...longPollAnnouncement(20_000) });
 * // { errorId: 0, taskId, captask: { longPoll: { maxWaitMs: 20000 } } }
 */
export function longPollAnnouncement(maxWaitMs: number): {
  captask: { longPoll: LongPollCapability };
} {
  return { captask: { longPoll: { maxWaitMs } } };
}

/**
 * Reads the long-poll capability from a createTask or getBalance response. Returns undefined
 * when the server did not announce one, which is the case for every other implementation.
 */
export function readLongPollCapability(
  answer: Record<string, unknown>,
): LongPollCapability | undefined {
  const extension = answer[EXTENSION_FIELD];
  if (typeof extension !== 'object' || extension === null) return undefined;
  const longPoll = (extension as Record<string, unknown>).longPoll;
  if (typeof longPoll !== 'object' || longPoll === null) return undefined;
  const maxWaitMs = (longPoll as Record<string, unknown>).maxWaitMs;
  if (typeof maxWaitMs !== 'number' || !Number.isFinite(maxWaitMs) || maxWaitMs <= 0) {
    return undefined;
  }
  return { maxWaitMs };
}

/**
 * Reads the hold time a getTaskResult body requests, clamped to `maxWaitMs`. Returns 0 when
 * the body requests none or a value that is not a positive number.
 */
export function readRequestedWaitMs(body: Record<string, unknown>, maxWaitMs: number): number {
  const extension = body[EXTENSION_FIELD];
  if (typeof extension !== 'object' || extension === null) return 0;
  const waitMs = (extension as Record<string, unknown>).waitMs;
  if (typeof waitMs !== 'number' || !Number.isFinite(waitMs) || waitMs <= 0) return 0;
  return Math.min(Math.floor(waitMs), maxWaitMs);
}

/** Returns the extension field a client adds to a getTaskResult body to be held `waitMs`. */
export function longPollRequest(waitMs: number): { captask: { waitMs: number } } {
  return { captask: { waitMs } };
}

export interface HoldOptions {
  store: Pick<CompletionAwareStore, 'waitForCompletion'>;
  taskId: number;
  /** Maximum hold, in ms. */
  waitMs: number;
  /** Ends the hold early: the request's signal (client gone) combined with server shutdown. */
  signal?: AbortSignal;
  timers: Timers;
}

/**
 * Waits until the task finishes, `waitMs` passes or `signal` aborts, whichever comes first.
 * Never rejects, and leaves no timer or listener behind.
 *
 * @example
 * await holdUntilFinished({ store, taskId, waitMs: 15_000, signal: request.signal, timers });
 * const task = await store.get(taskId);
 */
export async function holdUntilFinished(options: HoldOptions): Promise<void> {
  const { store, taskId, waitMs, signal, timers } = options;
  if (waitMs <= 0 || signal?.aborted === true) return;

  const controller = new AbortController();
  const handle = timers.setTimeout(() => controller.abort(), waitMs);
  const stop = (): void => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await store.waitForCompletion(taskId, controller.signal);
  } finally {
    timers.clearTimeout(handle);
    signal?.removeEventListener('abort', stop);
  }
}
