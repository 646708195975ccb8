import {
  TASK_SPECS,
  type TaskShape,
  type TaskSpec,
  taskClassOf,
  taskSpecOf,
} from '../protocol/task-specs';
import type { PollSchedule } from './schedule';

/** Solve time assumed for a type string outside the spec table, in seconds. */
const UNKNOWN_TYPE_SECONDS: readonly [number, number] = [10, 180];

/**
 * Poll interval of the official JS client (`requestsIntervalMs` of its profile) assumed for a
 * type that has no profile in `TASK_SPECS`: the interval of its token profile.
 */
const UNKNOWN_CLIENT_INTERVAL_MS = 1_000;

/**
 * Latest deadline of a default schedule. The service keeps a result for about 5 minutes,
 * and a task still processing after 4.5 minutes is not worth more requests.
 */
const MAX_DEFAULT_DEADLINE_MS = 270_000;

/**
 * Polls that a default schedule may send up to its deadline. The remaining 20 of the
 * 120-request budget are kept for repeated requests after failed polls, which count against
 * the same budget.
 */
export const MAX_DEFAULT_POLLS = 100;

/**
 * Polling shape per speed class. Image tasks take 0.3 to 6 s: the first poll goes out shortly
 * after the typical minimum and later ones every 175 ms, a little denser than the official
 * client's 200 ms, widening once the typical solve window has passed. Slow tasks poll every
 * 1.8 s for the first 60 s (`intervalMs / growth`), then up to every 10 s. Token tasks, and
 * slow tasks that the official client polls more often than `intervalMs`, poll at the times
 * that `tokenPollTimes` lists instead.
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
    firstDelayFactor: 0.8,
    intervalMs: 1_800,
    growth: 0.03,
    maxIntervalMs: 10_000,
    deadlineFactor: 2,
    minDeadlineMs: 120_000,
  },
} as const;

/**
 * Generator of listed poll times, in units of the type's typical solve time and the official
 * client's poll interval for it. Polls start at `firstFactor` times the typical minimum,
 * follow each other every `intervalFactor` official intervals up to `windowFactor` times the
 * typical maximum, and then each gap grows by `backoff` up to `maxGapMs` until the deadline.
 * When that takes more than `MAX_DEFAULT_POLLS` polls, the dense window ends earlier. A
 * shorter gap than the official one where tasks finish, and no polls before the typical
 * minimum, give a lower delay than the official client's with fewer requests.
 */
const TOKEN_POLL_TIMES = {
  firstFactor: 1.2,
  intervalFactor: 0.85,
  windowFactor: 3,
  backoff: 1.3,
  maxGapMs: 10_000,
} as const;

/**
 * Returns the default polling schedule of a task, derived from the typical solve time of its
 * type (and variant, such as the CustomTask class) in `TASK_SPECS`:
 * - the first poll goes out near the typical minimum (image tasks 300 ms after it, slow tasks
 *   at 0.8 times it, token tasks at 1.2 times it), between 250 ms and 10 s;
 * - image and slow tasks then follow the class shape in `CLASS_SHAPES`. Token tasks follow
 *   the `pollTimesMs` list from `tokenPollTimes`, which uses the official client's poll
 *   interval for the type. So do slow tasks whose official interval is shorter than the slow
 *   shape's 1.8 s, such as AmazonTask and CustomTask, which the official client polls every
 *   second: the class rule would leave their delay above the official client's;
 * - the deadline is a multiple of the typical maximum, at least 15 s for image tasks and
 *   120 s for the others, at most 270 s.
 * Every type needs at most 100 polls (`MAX_DEFAULT_POLLS`) to reach its deadline. That keeps
 * 20 of the 120-request budget for polls repeated after failed requests.
 *
 * @example
 * defaultSchedule({ type: 'TurnstileTask' }).firstDelayMs; // 6000
 */
export function defaultSchedule(task: { type: string } & Record<string, unknown>): PollSchedule {
  const { typicalSolveSeconds, clientIntervalMs } = pollingFacts(task);
  const [minSeconds, maxSeconds] = typicalSolveSeconds;
  const taskClass = taskClassOf(task.type);
  // An image type whose variant can take minutes (ComplexImageTask recognition) polls like a
  // slow task: 175 ms polls would run out of budget long before its deadline.
  const shape = CLASS_SHAPES[taskClass === 'image' && maxSeconds > 10 ? 'slow' : taskClass];
  const firstDelayMs = minSeconds * 1000 * shape.firstDelayFactor + shape.firstDelayOffsetMs;
  const schedule: PollSchedule = {
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
  // Unknown types stay on the sparse slow rule: no official interval is known for them.
  const listed =
    taskClass === 'token' ||
    (taskClass === 'slow' &&
      taskSpecOf(task.type) !== undefined &&
      tokenIntervalMs(clientIntervalMs) < shape.intervalMs);
  if (!listed) return schedule;

  const pollTimesMs = tokenPollTimes(typicalSolveSeconds, clientIntervalMs, schedule.deadlineMs);
  return {
    ...schedule,
    firstDelayMs: pollTimesMs[0] ?? schedule.firstDelayMs,
    intervalMs: Math.min(schedule.intervalMs, tokenIntervalMs(clientIntervalMs)),
    pollTimesMs,
  };
}

/**
 * Lists the poll times of a token task, or of a slow task that the official client polls
 * often, as `TOKEN_POLL_TIMES` describes. The first time is
 * clamped to 250 ms to 10 s like every default first poll. The list ends with the first time
 * at or after the deadline, which is never sent, so that no interval rule adds polls between
 * the last listed time and the deadline.
 */
export function tokenPollTimes(
  typicalSolveSeconds: readonly [number, number],
  clientIntervalMs: number,
  deadlineMs: number,
): number[] {
  const [minSeconds, maxSeconds] = typicalSolveSeconds;
  const firstMs = Math.round(clamp(minSeconds * 1000 * TOKEN_POLL_TIMES.firstFactor, 250, 10_000));
  const intervalMs = tokenIntervalMs(clientIntervalMs);
  let windowEndMs = maxSeconds * 1000 * TOKEN_POLL_TIMES.windowFactor;
  for (;;) {
    const times = backedOffPollTimes(firstMs, intervalMs, windowEndMs, deadlineMs);
    const sent = times.filter((at) => at < deadlineMs).length;
    if (sent <= MAX_DEFAULT_POLLS || windowEndMs <= firstMs) return times;
    windowEndMs -= intervalMs;
  }
}

/**
 * Lists polls every `intervalMs` from `firstMs` up to `windowEndMs`, then backs off, up to
 * the first time at or after the deadline.
 */
function backedOffPollTimes(
  firstMs: number,
  intervalMs: number,
  windowEndMs: number,
  deadlineMs: number,
): number[] {
  const times: number[] = [];
  let gapMs = intervalMs;
  for (let at = firstMs; ; at += gapMs) {
    times.push(at);
    if (at >= deadlineMs) return times;
    if (at >= windowEndMs) {
      gapMs = Math.min(TOKEN_POLL_TIMES.maxGapMs, Math.round(gapMs * TOKEN_POLL_TIMES.backoff));
    }
  }
}

function tokenIntervalMs(clientIntervalMs: number): number {
  return Math.round(clientIntervalMs * TOKEN_POLL_TIMES.intervalFactor);
}

/**
 * Returns the typical solve time of the task's variant when the spec has one, else of its
 * type, and the official client's poll interval for it (from the canonical type when an
 * alias has no profile of its own).
 */
function pollingFacts(task: Record<string, unknown> & { type: string }): {
  typicalSolveSeconds: readonly [number, number];
  clientIntervalMs: number;
} {
  const spec = taskSpecOf(task.type);
  if (spec === undefined) {
    return {
      typicalSolveSeconds: UNKNOWN_TYPE_SECONDS,
      clientIntervalMs: UNKNOWN_CLIENT_INTERVAL_MS,
    };
  }
  const variant = variantOf(spec, task);
  const profile =
    variant?.clientPolling ?? spec.clientPolling ?? TASK_SPECS[spec.canonicalType].clientPolling;
  return {
    typicalSolveSeconds: variant?.typicalSolveSeconds ?? spec.typicalSolveSeconds,
    clientIntervalMs: profile?.requestsIntervalMs ?? UNKNOWN_CLIENT_INTERVAL_MS,
  };
}

function variantOf(spec: TaskSpec, task: Record<string, unknown>): TaskShape | undefined {
  if (spec.variants === undefined || typeof spec.discriminator !== 'string') return undefined;
  const selector = task[spec.discriminator];
  const key = selector === undefined ? spec.defaultVariant : String(selector);
  return key === undefined ? undefined : spec.variants[key];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
