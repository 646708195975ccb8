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
 * Polling shape per speed class. Image tasks take 0.3 to 6 s: the first poll goes out shortly
 * after the typical minimum and later ones every 175 ms, a little denser than the official
 * client's 200 ms, widening once the typical solve window has passed. Token and slow tasks
 * keep the protocol's advice of at least 2 s between polls. Their interval stays at 2 s for
 * about the first 44 s (`intervalMs / growth`), where most tokens arrive, then grows to 10 s.
 * The numbers were chosen with `pnpm bench`, which replays them against seeded solve-time
 * draws next to the official client's schedule.
 */
const CLASS_SHAPES = {
  image: {
    firstDelayOffsetMs: 300,
    firstDelayFactor: 1,
    intervalMs: 175,
    growth: 0.035,
    maxIntervalMs: 1_000,
    deadlineFactor: 2.5,
    minDeadlineMs: 15_000,
  },
  token: {
    firstDelayOffsetMs: 0,
    firstDelayFactor: 0.75,
    intervalMs: 2_000,
    growth: 0.045,
    maxIntervalMs: 10_000,
    deadlineFactor: 2,
    minDeadlineMs: 120_000,
  },
  slow: {
    firstDelayOffsetMs: 0,
    firstDelayFactor: 0.75,
    intervalMs: 2_000,
    growth: 0.045,
    maxIntervalMs: 10_000,
    deadlineFactor: 2,
    minDeadlineMs: 120_000,
  },
} as const;

/**
 * Returns the default polling schedule of a task, derived from the typical solve time of its
 * type (and variant, such as the CustomTask class) in `TASK_SPECS`:
 * - the first poll goes out near the typical minimum (image tasks 300 ms after it, token
 *   tasks at three quarters of it), between 250 ms and 10 s;
 * - the interval follows the class shape in `CLASS_SHAPES`;
 * - the deadline is a multiple of the typical maximum, at least 15 s for image tasks and
 *   120 s for the others, at most 270 s.
 * Every type needs at most 60 polls to reach its deadline, half the 120-request budget, which
 * leaves room for repeated failed requests.
 *
 * @example
 * defaultSchedule({ type: 'TurnstileTask' }).firstDelayMs; // 3750
 */
export function defaultSchedule(task: { type: string } & Record<string, unknown>): PollSchedule {
  const [minSeconds, maxSeconds] = typicalSolveSeconds(task);
  const taskClass = taskClassOf(task.type);
  // An image type whose variant can take minutes (ComplexImageTask recognition) polls like a
  // slow task: 175 ms polls would run out of budget long before its deadline.
  const shape = CLASS_SHAPES[taskClass === 'image' && maxSeconds > 10 ? 'slow' : taskClass];
  const firstDelayMs = minSeconds * 1000 * shape.firstDelayFactor + shape.firstDelayOffsetMs;

  return {
    firstDelayMs: Math.round(clamp(firstDelayMs, 250, 10_000)),
    intervalMs: shape.intervalMs,
    growth: shape.growth,
    maxIntervalMs: shape.maxIntervalMs,
    deadlineMs: clamp(
      maxSeconds * 1000 * shape.deadlineFactor,
      shape.minDeadlineMs,
      MAX_DEFAULT_DEADLINE_MS,
    ),
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
