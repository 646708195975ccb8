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

  it.each(tasks)('reaches the deadline within half the budget: %o', (task) => {
    const plan = resolvePlan(defaultSchedule(task), [], MAX_POLLS_PER_TASK);
    const polls = plannedPollTimes({ ...plan, maxPolls: Number.MAX_SAFE_INTEGER });

    expect(polls.length).toBeLessThanOrEqual(MAX_POLLS_PER_TASK / 2);
    expect(polls.at(-1)).toBeGreaterThan(plan.deadlineMs * 0.9);
  });

  it.each(tasks)('never polls token tasks closer than 950 ms: %o', (task) => {
    if (taskClassOf(task.type) !== 'token') return;
    const polls = plannedPollTimes(resolvePlan(defaultSchedule(task), [], MAX_POLLS_PER_TASK));

    const gaps = polls.slice(1).map((at, index) => at - (polls[index] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(950);
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

    // Every 950 ms (0.95 of the official 1 s) from 6 s, then gaps growing by 1.3 up to 10 s.
    expect(listed.slice(0, 4)).toEqual([6_000, 6_950, 7_900, 8_850]);
    expect(polls).toEqual(listed.filter((at) => at < schedule.deadlineMs));
    expect(polls).toHaveLength(MAX_DEFAULT_POLLS);
    // The dense window ends at 51.6 s instead of 60 s (three times the typical 20 s
    // maximum), so that 60 polls reach the deadline.
    const gaps = listed.slice(1).map((at, index) => at - (listed[index] as number));
    expect(listed.indexOf(51_600)).toBe(48);
    expect(gaps.slice(48, 58)).toEqual([
      1_235, 1_606, 2_088, 2_714, 3_528, 4_586, 5_962, 7_751, 10_000, 10_000,
    ]);
    expect(polls.slice(-3)).toEqual([91_070, 101_070, 111_070]);
    expect(listed.at(-1)).toBe(121_070);
    expect(schedule.deadlineMs).toBe(120_000);
  });

  it('uses the official interval of the type', () => {
    const v3 = plannedPollTimes(
      resolvePlan(defaultSchedule({ type: 'RecaptchaV3TaskProxyless' }), [], MAX_POLLS_PER_TASK),
    );
    const geetest = defaultSchedule({ type: 'GeeTestTaskProxyless' }).pollTimesMs ?? [];

    expect(v3.slice(0, 3)).toEqual([10_000, 12_850, 15_700]);
    expect(geetest.slice(0, 3)).toEqual([10_000, 10_950, 11_900]);
  });

  it('keeps slow and image tasks on the interval rule', () => {
    expect(defaultSchedule({ type: 'AmazonTask' }).pollTimesMs).toBeUndefined();
    expect(defaultSchedule({ type: 'RecaptchaV2Task' }).pollTimesMs).toBeUndefined();
    expect(defaultSchedule({ type: 'ImageToTextTask' }).pollTimesMs).toBeUndefined();
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
    expect(recognition.intervalMs).toBe(2_000);
  });

  it('treats unknown types as slow', () => {
    const schedule = defaultSchedule({ type: 'NotARealTask' });
    expect(schedule.intervalMs).toBe(2_000);
    expect(schedule.deadlineMs).toBe(270_000);
  });
});

describe('tokenPollTimes', () => {
  it('shortens the dense window to fit the poll limit', () => {
    const times = tokenPollTimes([5, 20], 1_000, 120_000);
    const sent = times.filter((at) => at < 120_000);

    expect(sent).toHaveLength(MAX_DEFAULT_POLLS);
    expect(times.at(-1)).toBeGreaterThanOrEqual(120_000);
  });

  it('keeps the full window when it fits', () => {
    const times = tokenPollTimes([5, 10], 3_000, 120_000);
    const gaps = times.slice(1).map((at, index) => at - (times[index] as number));

    // 2,850 ms gaps up to 30 s (three times the typical maximum), then growing.
    expect(times.slice(0, 3)).toEqual([6_000, 8_850, 11_700]);
    expect(gaps.filter((gap) => gap === 2_850)).toHaveLength(9);
    expect(gaps[9]).toBe(3_705);
    expect(Math.max(...gaps)).toBe(10_000);
  });

  it('ends at the first time past the deadline', () => {
    const times = tokenPollTimes([5, 20], 1_000, 120_000);
    expect(times.filter((at) => at >= 120_000)).toHaveLength(1);
  });
});
