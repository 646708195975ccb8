import { describe, expect, it } from 'vitest';
import { CaptaskError, isCaptaskError } from './errors';

/** Loads a second, separate instance of the errors module, as a second bundle copy would be. */
async function loadSecondCopy(): Promise<typeof import('./errors')> {
  // A query string gives the same file a new module id, so vitest evaluates it again.
  const specifier = './errors.ts?second-copy';
  return (await import(/* @vite-ignore */ specifier)) as typeof import('./errors');
}

describe('CaptaskError instanceof', () => {
  it('holds across module copies', async () => {
    const copy = await loadSecondCopy();
    const foreign = new copy.CaptaskError('ERROR_TASK_ABSENT');

    expect(copy.CaptaskError).not.toBe(CaptaskError);
    expect(foreign instanceof CaptaskError).toBe(true);
    expect(new CaptaskError('ERROR_ZERO_BALANCE') instanceof copy.CaptaskError).toBe(true);
    expect(isCaptaskError(foreign)).toBe(true);
  });

  it('rejects look-alike objects and plain errors', () => {
    const lookAlike = { name: 'CaptaskError', code: 'ERROR_TASK_ABSENT', message: 'x' };

    expect(lookAlike instanceof CaptaskError).toBe(false);
    expect(new Error('ERROR_TASK_ABSENT') instanceof CaptaskError).toBe(false);
    for (const primitive of [null, undefined, 'ERROR_TASK_ABSENT', 1]) {
      expect((primitive as unknown as object) instanceof CaptaskError).toBe(false);
    }
  });

  it('keeps the prototype check for subclasses', () => {
    class TimeoutError extends CaptaskError {}
    const plain = new CaptaskError('ERROR_TASK_ABSENT');
    const timeout = new TimeoutError('ERROR_RECAPTCHA_TIMEOUT');

    expect(timeout instanceof CaptaskError).toBe(true);
    expect(timeout instanceof TimeoutError).toBe(true);
    expect(plain instanceof TimeoutError).toBe(false);
  });

  it('does not expose the brand as an enumerable field', () => {
    const error = new CaptaskError('ERROR_TASK_ABSENT');

    expect(Object.keys(error)).not.toContain('captask.error');
    expect(JSON.stringify(error)).not.toContain('captask.error');
  });
});
