import { describe, expect, it } from 'vitest';
import { TASK_SPECS, TASK_TYPES, taskClassOf } from '../protocol/task-specs';
import { defaultSchedule, MAX_DEFAULT_POLLS, tokenPollTimes } from './default-schedules';
import { MAX_POLLS_PER_TASK, plannedPollTimes, resolvePlan } from './schedule';

/** Lists one task per type string, plus one per variant of the types that have variants. */
function sampleTasks(): { type: string; [field: string]: unknown }[] {
  const tasks: { type: string; [field: string]: unknown }[] = [];
  for (const type of TASK_TYPES) {
    tasks.push({ type });
    const spec = TASK_SPECS[type];
    if (spec.variants === undefined || typeof spec.discriminator !== 'string') continue;
    for (const variant of Object.keys(spec.variants)) {
      if (variant !== '_default') tasks.push({ type, [spec.discriminator]: variant });
    }
  }
  return tasks;
}

describe('defaultSchedule', () => {
  const tasks = sampleTasks();

  it('keeps 20 requests of the budget for retries', () => {
    expect(MAX_DEFAULT_POLLS).toBe(100);
    expect(MAX_POLLS_PER_TASK - MAX_DEFAULT_POLLS).toBeGreaterThanOrEqual(20);
  });

  it.each(tasks)('reaches the deadline within the default polls: %o', (task) => {
    const plan = resolvePlan(defaultSchedule(task), [], MAX_POLLS_PER_TASK);
    const polls = plannedPollTimes({ ...plan, maxPolls: Number.MAX_SAFE_INTEGER });

    expect(polls.length).toBeLessThanOrEqual(MAX_DEFAULT_POLLS);
    expect(polls.at(-1)).toBeGreaterThan(plan.deadlineMs * 0.9);
  });

  it.each(tasks)('never polls listed tasks closer than 850 ms: %o', (task) => {
    const schedule = defaultSchedule(task);
    if (schedule.pollTimesMs === undefined) return;
    const polls = plannedPollTimes(resolvePlan(schedule, [], MAX_POLLS_PER_TASK));

    const gaps = polls.slice(1).map((at, index) => at - (polls[index] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(850);
  });

  it.each(tasks)('lists the poll times of every token type: %o', (task) => {
    if (taskClassOf(task.type) !== 'token') return;
    expect(defaultSchedule(task).pollTimesMs).toBeDefined();
  });

  it('polls image tasks early and densely', () => {
    const schedule = defaultSchedule({ type: 'ImageToTextTask' });
    const polls = plannedPollTimes(resolvePlan(schedule, [], MAX_POLLS_PER_TASK));

    expect(schedule.firstDelayMs).toBe(600);
    expect(polls.filter((at) => at <= 6_000).length).toBeGreaterThanOrEqual(25);
    expect(schedule.deadlineMs).toBe(15_000);
  });

  it('starts token tasks after the typical minimum', () => {
    expect(defaultSchedule({ type: 'TurnstileTask' }).firstDelayMs).toBe(6_000);
    // 1.2 times the 10 s minimum, clamped to the 10 s maximum of a first delay.
    expect(defaultSchedule({ type: 'RecaptchaV3TaskProxyless' }).firstDelayMs).toBe(10_000);
  });

  it('lists the Turnstile poll times', () => {
    const schedule = defaultSchedule({ type: 'TurnstileTask' });
    const listed = schedule.pollTimesMs ?? [];
    const polls = plannedPollTimes(resolvePlan(schedule, [], MAX_POLLS_PER_TASK));

    // Every 850 ms (0.85 of the official 1 s) from 6 s, then gaps growing by 1.3 up to 10 s.
    expect(listed.slice(0, 4)).toEqual([6_000, 6_850, 7_700, 8_550]);
    expect(polls).toEqual(listed.filter((at) => at < schedule.deadlineMs));
    expect(polls).toHaveLength(76);
    // The dense window runs to the first time at or after 60 s, three times the typical
    // 20 s maximum, because 76 polls fit in the default polls.
    const gaps = listed.slice(1).map((at, index) => at - (listed[index] as number));
    expect(listed.indexOf(60_400)).toBe(64);
    expect(gaps.slice(63, 75)).toEqual([
      850, 1_105, 1_437, 1_868, 2_428, 3_156, 4_103, 5_334, 6_934, 9_014, 10_000, 10_000,
    ]);
    expect(polls.slice(-3)).toEqual([95_779, 105_779, 115_779]);
    expect(listed.at(-1)).toBe(125_779);
    expect(schedule.deadlineMs).toBe(120_000);
  });

  it('uses the official interval of the type', () => {
    const v3 = plannedPollTimes(
      resolvePlan(defaultSchedule({ type: 'RecaptchaV3TaskProxyless' }), [], MAX_POLLS_PER_TASK),
    );
    const geetest = defaultSchedule({ type: 'GeeTestTaskProxyless' }).pollTimesMs ?? [];

    expect(v3.slice(0, 3)).toEqual([10_000, 12_550, 15_100]);
    expect(geetest.slice(0, 3)).toEqual([10_000, 10_850, 11_700]);
  });

  it('lists the AmazonTask poll times', () => {
    const schedule = defaultSchedule({ type: 'AmazonTask' });
    const listed = schedule.pollTimesMs ?? [];
    const polls = plannedPollTimes(resolvePlan(schedule, [], MAX_POLLS_PER_TASK));

    // The official client polls AmazonTask every 1 s, more often than the slow rule's 1.8 s,
    // so the list applies: every 850 ms from 10 s (1.2 times the 10 s minimum, clamped).
    expect(listed.slice(0, 4)).toEqual([10_000, 10_850, 11_700, 12_550]);
    expect(polls).toEqual(listed.filter((at) => at < schedule.deadlineMs));
    // The default polls end the dense window at 72.9 s, before three times the maximum.
    expect(polls).toHaveLength(MAX_DEFAULT_POLLS);
    expect(listed.indexOf(72_900)).toBe(74);
    expect(listed[75]).toBe(74_005);
    expect(polls.slice(-2)).toEqual([258_279, 268_279]);
    expect(schedule.deadlineMs).toBe(270_000);
  });

  it('keeps slow types with a long official interval on the rule', () => {
    const schedule = defaultSchedule({ type: 'RecaptchaV2Task' });
    const polls = plannedPollTimes(resolvePlan(schedule, [], MAX_POLLS_PER_TASK));
    const gaps = polls.slice(1).map((at, index) => at - (polls[index] as number));

    expect(schedule.pollTimesMs).toBeUndefined();
    expect(defaultSchedule({ type: 'HCaptchaTask' }).pollTimesMs).toBeUndefined();
    expect(defaultSchedule({ type: 'ImageToTextTask' }).pollTimesMs).toBeUndefined();
    // From 8 s (0.8 times the 10 s minimum) every 1.8 s until 3% of the elapsed time is
    // longer, which happens after 60 s.
    expect(polls.slice(0, 3)).toEqual([8_000, 9_800, 11_600]);
    expect(gaps.filter((gap) => gap === 1_800)).toHaveLength(29);
    expect(polls[29]).toBe(60_200);
    expect(gaps[29]).toBe(1_806);
    expect(polls).toHaveLength(80);
  });

  it('keeps token deadlines at 120 s or more', () => {
    expect(defaultSchedule({ type: 'TurnstileTask' }).deadlineMs).toBe(120_000);
    expect(defaultSchedule({ type: 'RecaptchaV2Task' }).deadlineMs).toBe(270_000);
  });

  it('gives slow tasks a deadline past their typical maximum', () => {
    const schedule = defaultSchedule({ type: 'RecaptchaV2Task' });
    expect(schedule.deadlineMs).toBeGreaterThan(180_000);
    expect(schedule.deadlineMs).toBeLessThanOrEqual(270_000);
  });

  it('uses the variant timing of ComplexImageTask classes', () => {
    const grid = defaultSchedule({ type: 'ComplexImageTask', class: 'recaptcha' });
    const recognition = defaultSchedule({ type: 'ComplexImageTask', class: 'recognition' });
    expect(grid.deadlineMs).toBe(15_000);
    expect(grid.intervalMs).toBe(175);
    expect(recognition.deadlineMs).toBeGreaterThan(grid.deadlineMs);
    expect(recognition.intervalMs).toBe(1_800);
    expect(recognition.pollTimesMs).toBeUndefined();
  });

  it('treats unknown types as slow', () => {
    const schedule = defaultSchedule({ type: 'NotARealTask' });
    expect(schedule.intervalMs).toBe(1_800);
    expect(schedule.pollTimesMs).toBeUndefined();
    expect(schedule.deadlineMs).toBe(270_000);
  });
});

describe('tokenPollTimes', () => {
  it('shortens the dense window to fit the poll limit', () => {
    const times = tokenPollTimes([10, 180], 1_000, 270_000);
    const sent = times.filter((at) => at < 270_000);

    expect(sent).toHaveLength(MAX_DEFAULT_POLLS);
    expect(times.at(-1)).toBeGreaterThanOrEqual(270_000);
  });

  it('keeps the full window when it fits', () => {
    const times = tokenPollTimes([5, 10], 3_000, 120_000);
    const gaps = times.slice(1).map((at, index) => at - (times[index] as number));

    // 2,550 ms gaps up to the first time at or after 30 s (three times the typical
    // maximum), then growing.
    expect(times.slice(0, 3)).toEqual([6_000, 8_550, 11_100]);
    expect(gaps.filter((gap) => gap === 2_550)).toHaveLength(10);
    expect(times[10]).toBe(31_500);
    expect(gaps[10]).toBe(3_315);
    expect(Math.max(...gaps)).toBe(10_000);
  });

  it('ends at the first time past the deadline', () => {
    const times = tokenPollTimes([5, 20], 1_000, 120_000);
    expect(times.filter((at) => at >= 120_000)).toHaveLength(1);
  });
});
