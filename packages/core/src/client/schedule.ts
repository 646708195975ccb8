/** The protocol's limit of getTaskResult requests per task; more may lock the account. */
export const MAX_POLLS_PER_TASK = 120;

/**
 * A polling schedule as data. The first poll goes out `firstDelayMs` after the task was
 * created. After that the interval is `elapsedMs * growth`, rounded to whole milliseconds and
 * kept between `intervalMs` and `maxIntervalMs`, so polls are dense early and sparse late.
 * With `pollTimesMs`, the listed times come first and this rule applies after the last one.
 *
 * @example
 * const schedule: PollSchedule = {
 *   firstDelayMs: 5_000, intervalMs: 2_000, maxIntervalMs: 8_000, growth: 0.1, deadlineMs: 120_000,
 * };
 */
export interface PollSchedule {
  firstDelayMs: number;
  /** Minimum time between two polls, in milliseconds. */
  intervalMs: number;
  /** Maximum time between two polls, in milliseconds. Default: `intervalMs`. */
  maxIntervalMs?: number;
  /** Interval as a fraction of the time since creation. Default 0, a fixed interval. */
  growth?: number;
  /** Time after creation at which `solve` gives up with CLIENT_TIMEOUT, in milliseconds. */
  deadlineMs: number;
  /**
   * Poll times in milliseconds after creation, ascending. Each poll goes out at the first
   * listed time that lies at least `intervalMs / 2` ahead, so a slow reply skips a time
   * instead of sending two polls close together. After the last time the interval rule
   * applies. An override that sets `firstDelayMs`, `intervalMs`, `maxIntervalMs` or `growth`
   * without its own list drops the list of the schedule below it.
   */
  pollTimesMs?: readonly number[];
}

/** Fields whose override replaces the poll times of the schedule below it. */
const TIMING_FIELDS = ['firstDelayMs', 'intervalMs', 'maxIntervalMs', 'growth'] as const;

/**
 * A polling schedule as a function: the wait before poll number `attempt + 1`, given the
 * polls already sent (`attempt`, 0 for the first) and the milliseconds since creation.
 */
export type PollScheduleFunction = (attempt: number, elapsedMs: number) => number;

/**
 * A caller's schedule: fields that replace those of the default, or a function that replaces
 * its delays (with an optional `deadlineMs` beside it).
 */
export type ScheduleOverride =
  | Partial<PollSchedule>
  | PollScheduleFunction
  | { delay: PollScheduleFunction; deadlineMs?: number };

/** A resolved schedule as the polling engine runs it. */
export interface PollPlan {
  delay: PollScheduleFunction;
  deadlineMs: number;
  maxPolls: number;
}

/** Turns a data schedule into its delay function. */
export function scheduleDelay(schedule: PollSchedule): PollScheduleFunction {
  const { firstDelayMs, intervalMs, growth = 0, pollTimesMs = [] } = schedule;
  const maxIntervalMs = Math.max(intervalMs, schedule.maxIntervalMs ?? intervalMs);
  return (attempt, elapsedMs) => {
    const listed = pollTimesMs.find((at) => at - elapsedMs >= intervalMs / 2);
    if (listed !== undefined) return listed - elapsedMs;
    if (attempt === 0) return firstDelayMs;
    return Math.round(Math.min(maxIntervalMs, Math.max(intervalMs, elapsedMs * growth)));
  };
}

/**
 * Applies overrides, in order, over a base schedule and checks the result.
 *
 * @throws RangeError when a value is negative, not finite, or `maxPolls` is outside 1 to 120.
 */
export function resolvePlan(
  base: PollSchedule,
  overrides: readonly (ScheduleOverride | undefined)[],
  maxPolls: number,
): PollPlan {
  let schedule: PollSchedule = base;
  let custom: PollScheduleFunction | undefined;
  for (const override of overrides) {
    if (override === undefined) continue;
    if (typeof override === 'function') {
      custom = override;
    } else if ('delay' in override) {
      custom = override.delay;
      schedule = { ...schedule, ...definedFields({ deadlineMs: override.deadlineMs }) };
    } else {
      custom = undefined;
      const retimed = TIMING_FIELDS.some((field) => override[field] !== undefined);
      const base = retimed ? withoutPollTimes(schedule) : schedule;
      schedule = { ...base, ...definedFields(override) };
    }
  }

  checkSchedule(schedule);
  checkMaxPolls(maxPolls);
  return { delay: custom ?? scheduleDelay(schedule), deadlineMs: schedule.deadlineMs, maxPolls };
}

/** Checks a poll budget: an integer from 1 to `MAX_POLLS_PER_TASK`. */
export function checkMaxPolls(maxPolls: number): void {
  if (!Number.isInteger(maxPolls) || maxPolls < 1 || maxPolls > MAX_POLLS_PER_TASK) {
    throw new RangeError(
      `maxPolls must be an integer from 1 to ${MAX_POLLS_PER_TASK}, got ${maxPolls}`,
    );
  }
}

/**
 * Returns the times, in milliseconds after creation, at which a plan sends its polls when
 * every reply is `processing` and arrives instantly. Polls stop before the deadline and at
 * the budget.
 */
export function plannedPollTimes(plan: PollPlan): number[] {
  const times: number[] = [];
  let elapsed = 0;
  while (times.length < plan.maxPolls) {
    elapsed += Math.max(0, plan.delay(times.length, elapsed));
    if (elapsed >= plan.deadlineMs) break;
    times.push(elapsed);
  }
  return times;
}

function checkSchedule(schedule: PollSchedule): void {
  const { pollTimesMs, ...numbers } = schedule;
  if (pollTimesMs !== undefined) checkPollTimes(pollTimesMs);
  for (const [name, value] of Object.entries(numbers)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`schedule.${name} must be a finite number >= 0, got ${value}`);
    }
  }
  if (schedule.deadlineMs <= 0) throw new RangeError('schedule.deadlineMs must be above 0');
}

function checkPollTimes(pollTimesMs: readonly number[]): void {
  if (!Array.isArray(pollTimesMs)) {
    throw new RangeError(`schedule.pollTimesMs must be an array, got ${typeof pollTimesMs}`);
  }
  let previous = -1;
  for (const [index, at] of pollTimesMs.entries()) {
    if (typeof at !== 'number' || !Number.isFinite(at) || at <= previous) {
      throw new RangeError(
        `schedule.pollTimesMs must hold ascending finite numbers >= 0, got ${at} at index ${index}`,
      );
    }
    previous = at;
  }
}

function withoutPollTimes(schedule: PollSchedule): PollSchedule {
  const { pollTimesMs: _dropped, ...rest } = schedule;
  return rest;
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
