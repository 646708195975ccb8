import { describe, expect, it } from 'vitest';
import { createRedactor } from './redact';

describe('createRedactor', () => {
  const redactor = createRedactor(['secret-key"1', 'abc', undefined]);

  it('masks raw, JSON-escaped and URL-encoded forms', () => {
    expect(redactor.text('a secret-key"1 b')).toBe('a [redacted] b');
    expect(redactor.text('{"k":"secret-key\\"1"}')).toBe('{"k":"[redacted]"}');
    expect(redactor.text('k=secret-key%221')).toBe('k=[redacted]');
  });

  it('leaves secrets under 4 characters alone', () => {
    expect(redactor.text('abc')).toBe('abc');
  });

  it('adds secrets with with()', () => {
    expect(redactor.with(['proxy-pass']).text('proxy-pass secret-key"1')).toBe(
      '[redacted] [redacted]',
    );
  });

  it('copies an error chain without the secret', () => {
    const inner = Object.assign(new Error('inner secret-key"1'), { code: 'ECONNRESET', port: 80 });
    const outer = new TypeError('outer secret-key"1', { cause: inner });

    const copy = redactor.cause(outer) as TypeError & {
      cause: Error & { code: string; port: number };
    };
    expect(copy).not.toBe(outer);
    expect(copy.name).toBe('TypeError');
    expect(copy.message).toBe('outer [redacted]');
    expect(copy.stack).not.toContain('secret-key');
    expect(copy.cause.message).toBe('inner [redacted]');
    expect(copy.cause.code).toBe('ECONNRESET');
    expect(copy.cause.port).toBe(80);
  });

  it('replaces non-error objects by their type name', () => {
    const copy = redactor.cause({ body: 'secret-key"1' }) as Error;
    expect(copy.message).toBe('non-error value of type Object');
  });

  it('cuts a cause chain at depth 4', () => {
    let error = new Error('level 0');
    for (let level = 1; level <= 6; level += 1)
      error = new Error(`level ${level}`, { cause: error });

    let copy = redactor.cause(error) as Error | undefined;
    let depth = 0;
    while (copy !== undefined) {
      depth += 1;
      copy = copy.cause as Error | undefined;
    }
    expect(depth).toBe(4);
  });
});
