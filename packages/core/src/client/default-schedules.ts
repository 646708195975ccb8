import { taskClassOf, taskSpecOf } from '../protocol/task-specs';
import type { PollSchedule } from './schedule';

/** Solve time assumed for a type string outside the spec table, in seconds. */
const UNKNOWN_TYPE_SECONDS: readonly [number, number] = [10, 180];

/**
 * Latest deadline of a default schedule. The service keeps a result for about 5 minutes,
 * and a task still processing after 4.5 minutes is not worth more requests.
 */
const MAX_DEFAULT_DEADLINE_MS = 270_000;

/**
 * Minimum spacing per speed class. Image tasks take 0.3 to 6 s, so they poll every 250 ms
 * early on. Token tasks keep to the protocol's advice of at least 2 s between polls.
 */
const CLASS_LIMITS = {
  image: { minFirstDelayMs: 250, intervalMs: 250, growth: 0.2 },
  token: { minFirstDelayMs: 1_000, intervalMs: 2_000, growth: 0.1 },
  slow: { minFirstDelayMs: 1_000, intervalMs: 2_000, growth: 0.1 },
} as const;

/**
 * Returns the default polling schedule of a task, derived from the typical solve time of its
 * type (and variant, such as the CustomTask class) in `TASK_SPECS`:
 * - the first poll goes out at the typical minimum, between the class floor and 10 s;
 * - the interval starts at the class minimum and grows with the time since creation
 *   (`growth`), up to a sixth of the typical maximum and at most 10 s;
 * - the deadline is twice the typical maximum, between 20 s and 270 s.
 * With these rules every type needs at most about 40 polls to reach its deadline, which leaves
 * most of the 120-request budget for repeated failed requests.
 *
 * @example
 * defaultSchedule({ type: 'TurnstileTask' }).firstDelayMs; // 5000
 */
export function defaultSchedule(task: { type: string } & Record<string, unknown>): PollSchedule {
  const [minSeconds, maxSeconds] = typicalSolveSeconds(task);
  const limits = CLASS_LIMITS[taskClassOf(task.type)];

  return {
    firstDelayMs: clamp(minSeconds * 1000, limits.minFirstDelayMs, 10_000),
    intervalMs: limits.intervalMs,
    growth: limits.growth,
    maxIntervalMs: clamp((maxSeconds * 1000) / 6, limits.intervalMs, 10_000),
    deadlineMs: clamp(maxSeconds * 2000, 20_000, MAX_DEFAULT_DEADLINE_MS),
  };
}

/** Returns `[min, max]` seconds for the task's variant when the spec has one, else its type. */
function typicalSolveSeconds(
  task: Record<string, unknown> & { type: string },
): readonly [number, number] {
  const spec = taskSpecOf(task.type);
  if (spec === undefined) return UNKNOWN_TYPE_SECONDS;
  if (spec.variants === undefined || typeof spec.discriminator !== 'string') {
    return spec.typicalSolveSeconds;
  }

  const selector = task[spec.discriminator];
  const key = selector === undefined ? spec.defaultVariant : String(selector);
  const variant = key === undefined ? undefined : spec.variants[key];
  return variant?.typicalSolveSeconds ?? spec.typicalSolveSeconds;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
