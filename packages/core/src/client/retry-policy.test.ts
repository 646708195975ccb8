import { describe, expect, it } from 'vitest';
import { CaptaskError } from '../protocol/errors';
import {
  DEFAULT_RETRY_POLICY,
  decidePollRetry,
  parseRetryAfter,
  resolveRetryPolicy,
} from './retry-policy';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);

  it('reads delay seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
  });

  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:05 GMT', now)).toBe(5000);
  });

  it('reads a past HTTP date as 0', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or malformed value', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('decidePollRetry', () => {
  const policy = DEFAULT_RETRY_POLICY;

  it('repeats network errors with doubling backoff', () => {
    const error = new CaptaskError('CLIENT_NETWORK_ERROR');
    expect(decidePollRetry(error, 1, policy)).toEqual({
      retry: true,
      delayMs: 500,
      slowDown: false,
    });
    expect(decidePollRetry(error, 3, policy)).toEqual({
      retry: true,
      delayMs: 2000,
      slowDown: false,
    });
    expect(decidePollRetry(error, 30, policy)).toEqual({
      retry: true,
      delayMs: 10_000,
      slowDown: false,
    });
  });

  it('does not repeat an HTTP error marked final', () => {
    const error = new CaptaskError('CLIENT_HTTP_ERROR', { status: 404, retryable: false });
    expect(decidePollRetry(error, 1, policy)).toEqual({ retry: false });
  });

  it('slows down after ERROR_TOO_MUCH_REQUESTS', () => {
    const error = new CaptaskError('ERROR_TOO_MUCH_REQUESTS');
    expect(decidePollRetry(error, 1, policy)).toEqual({
      retry: true,
      delayMs: 500,
      slowDown: true,
    });
  });

  it('waits at least the Retry-After delay', () => {
    const details = { retryAfterMs: 4000 };
    const error = new CaptaskError('CLIENT_HTTP_ERROR', { status: 429, retryable: true, details });
    expect(decidePollRetry(error, 1, policy)).toEqual({
      retry: true,
      delayMs: 4000,
      slowDown: false,
    });
  });

  it('caps Retry-After at maxRetryAfterMs', () => {
    const details = { retryAfterMs: 1e12 };
    const error = new CaptaskError('CLIENT_HTTP_ERROR', { status: 429, retryable: true, details });
    expect(decidePollRetry(error, 1, policy)).toEqual({
      retry: true,
      delayMs: 60_000,
      slowDown: false,
    });
    const tight = { ...policy, maxRetryAfterMs: 5_000 };
    expect(decidePollRetry(error, 1, tight)).toEqual({
      retry: true,
      delayMs: 5_000,
      slowDown: false,
    });
  });

  it('repeats ERROR_NO_SLOT_AVAILABLE polls', () => {
    const error = new CaptaskError('ERROR_NO_SLOT_AVAILABLE');
    expect(decidePollRetry(error, 2, policy)).toEqual({
      retry: true,
      delayMs: 1000,
      slowDown: false,
    });
  });

  it('never repeats task outcomes on the same id', () => {
    for (const code of [
      'ERROR_CAPTCHA_UNSOLVABLE',
      'ERROR_NO_SUCH_CAPCHA_ID',
      'CLIENT_ABORTED',
    ] as const) {
      expect(decidePollRetry(new CaptaskError(code), 1, policy)).toEqual({ retry: false });
    }
  });
});

describe('resolveRetryPolicy', () => {
  it('fills in defaults', () => {
    expect(resolveRetryPolicy({ noSlotRetries: 1 })).toEqual({
      ...DEFAULT_RETRY_POLICY,
      noSlotRetries: 1,
    });
  });

  it('rejects negative or unbounded values', () => {
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ noSlotRetries: 11 })).toThrow(RangeError);
  });
});
