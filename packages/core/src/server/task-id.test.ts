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

  it('draws distinct ids across refills', () => {
    // 1,000 ids span several refills of the random buffer; a reused word would repeat an id.
    const ids = new Set(Array.from({ length: 1_000 }, randomTaskId));
    expect(ids.size).toBe(1_000);
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
    ['0', /positive integer, got the string "0"/],
  ])('rejects %j', (value, reason) => {
    const result = parseTaskId(value);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('names an id above the largest safe integer', () => {
    // JSON.parse turns 2^53 + 1 into 2^53, so only the source text has the digits sent.
    const sourceText = '{"clientKey":"k","TaskId": 9007199254740993}';
    const parsed = JSON.parse(sourceText) as { TaskId: number };
    expect(parseTaskId(parsed.TaskId, { sourceText })).toEqual({
      ok: false,
      reason:
        'taskId 9007199254740993 exceeds 9007199254740991, the largest safe integer, so no task has it; send the taskId that createTask returned.',
    });
  });

  it.each([
    [2 ** 60, undefined, /^taskId 1152921504606847000 exceeds 9007199254740991/],
    [1e300, '{"taskId":1e300}', /^taskId 1e300 exceeds/],
    ['9007199254740993', undefined, /^taskId "9007199254740993" exceeds/],
    [
      '123456789012345678901234567890123456789012345',
      undefined,
      /^taskId "1234567890123456789012345678901234567890\.\.\." exceeds/,
    ],
  ])('rejects the large id %j', (value, sourceText, reason) => {
    const result = parseTaskId(value, sourceText === undefined ? {} : { sourceText });
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });
});
