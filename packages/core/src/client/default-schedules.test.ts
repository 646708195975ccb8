import { describe, expect, it } from 'vitest';
import { TASK_SPECS, TASK_TYPES, taskClassOf } from '../protocol/task-specs';
import { defaultSchedule } from './default-schedules';
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

  it.each(tasks)('spaces token polls at least 2 s apart: %o', (task) => {
    if (taskClassOf(task.type) === 'image') return;
    const polls = plannedPollTimes(resolvePlan(defaultSchedule(task), [], MAX_POLLS_PER_TASK));

    const gaps = polls.slice(1).map((at, index) => at - (polls[index] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2_000);
  });

  it('polls image tasks early and densely', () => {
    const schedule = defaultSchedule({ type: 'ImageToTextTask' });
    const polls = plannedPollTimes(resolvePlan(schedule, [], MAX_POLLS_PER_TASK));

    expect(schedule.firstDelayMs).toBe(600);
    expect(polls.filter((at) => at <= 6_000).length).toBeGreaterThanOrEqual(25);
    expect(schedule.deadlineMs).toBe(15_000);
  });

  it('starts token tasks before the typical minimum', () => {
    expect(defaultSchedule({ type: 'TurnstileTask' }).firstDelayMs).toBe(3_750);
    expect(defaultSchedule({ type: 'RecaptchaV3TaskProxyless' }).firstDelayMs).toBe(7_500);
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
