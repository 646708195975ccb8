import type { CaptaskError } from '../protocol/errors';

/** Retry settings for requests whose failure may pass on its own. */
export interface RetryOptions {
  /** Wait after the first failed poll, in milliseconds; doubles per further failure. Default 500. */
  baseDelayMs?: number;
  /** Maximum wait between repeated polls, in milliseconds. Default 10 000. */
  maxDelayMs?: number;
  /**
   * Longest Retry-After that a poll honours, in milliseconds; a longer one waits this long.
   * Default 60 000. The task's deadline still ends the wait, so that no Retry-After stalls a
   * solve past it.
   */
  maxRetryAfterMs?: number;
  /** Factor on the poll interval per ERROR_TOO_MUCH_REQUESTS reply. Default 2. */
  slowDownFactor?: number;
  /** Maximum total factor from ERROR_TOO_MUCH_REQUESTS replies. Default 8. */
  maxSlowDown?: number;
  /** createTask repeats after ERROR_NO_SLOT_AVAILABLE, 0 to 10. Default 3. */
  noSlotRetries?: number;
  /** Wait before the first createTask repeat, in milliseconds; doubles per repeat. Default 2 000. */
  noSlotDelayMs?: number;
  /**
   * getTaskResult repeats per task after ERROR_NO_SLOT_AVAILABLE replies, 0 to 10. Default 3.
   * One more such reply fails the task with that code, because a server that keeps sending it
   * for a task has failed the task.
   */
  noSlotPollRetries?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  slowDownFactor: 2,
  maxSlowDown: 8,
  noSlotRetries: 3,
  noSlotDelayMs: 2_000,
  noSlotPollRetries: 3,
};

/** Fills in defaults and checks the ranges. */
export function resolveRetryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(options) };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`retry.${name} must be a finite number >= 0, got ${value}`);
    }
  }
  for (const name of ['noSlotRetries', 'noSlotPollRetries'] as const) {
    if (!Number.isInteger(policy[name]) || policy[name] > 10) {
      throw new RangeError(`retry.${name} must be an integer from 0 to 10`);
    }
  }
  return policy;
}

/** Decision after a failed getTaskResult request: repeat it after `delayMs`, or give up. */
export type PollRetryDecision =
  | { retry: false }
  | { retry: true; delayMs: number; slowDown: boolean };

/**
 * Codes of failures that reveal nothing about the task, so polling the same id again is safe.
 * ERROR_NO_SLOT_AVAILABLE is among them because a server may send it for an internal failure;
 * the poll engine repeats it only `noSlotPollRetries` times per task.
 */
const REPEATABLE_POLL_CODES: ReadonlySet<string> = new Set([
  'CLIENT_NETWORK_ERROR',
  'CLIENT_HTTP_ERROR',
  'CLIENT_INVALID_RESPONSE',
  'ERROR_NO_SLOT_AVAILABLE',
]);

/**
 * Decides whether a failed poll is repeated on the same task id, and after how long.
 * `failures` counts the consecutive failed polls including this one.
 */
export function decidePollRetry(
  error: CaptaskError,
  failures: number,
  policy: RetryPolicy,
): PollRetryDecision {
  const slowDown = error.code === 'ERROR_TOO_MUCH_REQUESTS';
  if (!slowDown && !(REPEATABLE_POLL_CODES.has(error.code) && error.retryable)) {
    return { retry: false };
  }

  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  const retryAfter = error.details?.retryAfterMs;
  // A server may send any Retry-After, even years, so it is honoured only up to a bound.
  const honoured =
    typeof retryAfter === 'number' ? Math.min(retryAfter, policy.maxRetryAfterMs) : 0;
  const delayMs = Math.max(backoff, honoured);
  return { retry: true, delayMs, slowDown };
}

/** Wait before createTask repeat number `repeat` (from 1) after ERROR_NO_SLOT_AVAILABLE. */
export function noSlotDelay(repeat: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.noSlotDelayMs * 2 ** (repeat - 1));
}

/**
 * Reads a Retry-After header value, either delay seconds or an HTTP date, as milliseconds
 * from `now`. Returns undefined for a missing or malformed value.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000;

  // An HTTP date names its weekday and month, so a value without letters is malformed.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
