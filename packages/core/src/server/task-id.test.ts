import { describe, expect, it } from 'vitest';
import { parseTaskId, randomTaskId } from './task-id';

describe('randomTaskId', () => {
  it('stays in (2^31, MAX_SAFE_INTEGER]', () => {
    for (let i = 0; i < 10_000; i++) {
      const id = randomTaskId();
      expect(id).toBeGreaterThan(2 ** 31);
      expect(id).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
      expect(Number.isInteger(id)).toBe(true);
    }
  });

  it('uses the high bits', () => {
    const ids = Array.from({ length: 200 }, randomTaskId);
    expect(ids.some((id) => id > 2 ** 52)).toBe(true);
  });
});

describe('parseTaskId', () => {
  it('accepts integers and digit strings', () => {
    expect(parseTaskId(3_000_000_000)).toEqual({ ok: true, taskId: 3_000_000_000 });
    expect(parseTaskId('3000000000')).toEqual({ ok: true, taskId: 3_000_000_000 });
  });

  it.each([
    [undefined, /missing/],
    [null, /missing/],
    [1.5, /positive integer, got 1.5/],
    [-4, /positive integer, got -4/],
    [0, /positive integer, got 0/],
    ['12a', /the string "12a"/],
    ['', /the string ""/],
    [[1], /an array/],
    [{ id: 1 }, /an object/],
    [true, /a boolean/],
    [2 ** 60, /positive integer/],
  ])('rejects %j', (value, reason) => {
    const result = parseTaskId(value);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });
});
