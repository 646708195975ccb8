import { describe, expect, it } from 'vitest';
import { type PollSchedule, plannedPollTimes, resolvePlan, scheduleDelay } from './schedule';

const LISTED: PollSchedule = {
  firstDelayMs: 1_000,
  intervalMs: 400,
  growth: 0.5,
  maxIntervalMs: 5_000,
  deadlineMs: 20_000,
  pollTimesMs: [1_000, 1_400, 1_800, 2_200],
};

describe('pollTimesMs', () => {
  it('sends the listed times, then the interval rule', () => {
    const polls = plannedPollTimes(resolvePlan(LISTED, [], 120));

    // After 2,200 ms the interval is elapsed * 0.5, at least 400 ms and at most 5,000 ms.
    expect(polls).toEqual([1_000, 1_400, 1_800, 2_200, 3_300, 4_950, 7_425, 11_138, 16_138]);
  });

  it('skips a time less than half the interval ahead', () => {
    const delay = scheduleDelay(LISTED);

    expect(delay(1, 1_150)).toBe(250);
    expect(delay(1, 1_250)).toBe(550);
    expect(delay(0, 0)).toBe(1_000);
  });

  it('stops at the budget and before the deadline', () => {
    const budget = plannedPollTimes(resolvePlan(LISTED, [], 3));
    const deadline = plannedPollTimes(resolvePlan(LISTED, [{ deadlineMs: 1_800 }], 120));

    expect(budget).toEqual([1_000, 1_400, 1_800]);
    expect(deadline).toEqual([1_000, 1_400]);
  });

  it('keeps the list under a deadline override', () => {
    const plan = resolvePlan(LISTED, [{ deadlineMs: 3_000 }], 120);
    expect(plannedPollTimes(plan)).toEqual([1_000, 1_400, 1_800, 2_200]);
  });

  it('drops the list under a timing override', () => {
    const plan = resolvePlan(LISTED, [{ intervalMs: 3_000 }], 120);

    // growth 0.5 and maxIntervalMs 5,000 still come from the base schedule.
    expect(plannedPollTimes(plan).slice(0, 4)).toEqual([1_000, 4_000, 7_000, 10_500]);
  });

  it('takes a list from an override', () => {
    const plan = resolvePlan(LISTED, [{ intervalMs: 100, pollTimesMs: [500, 700] }], 120);

    // After 700 ms the interval is 700 * 0.5 from the base growth.
    expect(plannedPollTimes(plan).slice(0, 3)).toEqual([500, 700, 1_050]);
  });

  it.each([[[1_000, 900]], [[-1, 100]], [[0, Number.NaN]], [[0, Number.POSITIVE_INFINITY]]])(
    'rejects an invalid list: %o',
    (pollTimesMs) => {
      expect(() => resolvePlan({ ...LISTED, pollTimesMs }, [], 120)).toThrow(RangeError);
    },
  );
});
