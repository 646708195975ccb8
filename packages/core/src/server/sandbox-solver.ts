import { isProtocolErrorCode } from '../protocol/error-codes';
import { CaptaskError } from '../protocol/errors';
import { taskClassOf } from '../protocol/task-specs';
import { buildSandboxSolution } from './sandbox-solution';
import { sleep, systemClock, systemTimers } from './system-time';
import type { Clock, Solver, Timers } from './types';

/** Prefix of a task string value that makes the sandbox fail the task with the code after it. */
export const SANDBOX_ERROR_PREFIX = 'sandbox-error-';

/** Default sandbox latency per task class, in ms. */
export const SANDBOX_LATENCY_MS = { image: 1_000, token: 3_000, slow: 5_000 } as const;

export interface SandboxSolverOptions {
  /** Delay before each result, in ms, or a function of the task. Default SANDBOX_LATENCY_MS by class. */
  latencyMs?: number | ((task: Record<string, unknown> & { type: string }) => number);
  /** Clock for time-derived fields such as GeeTest v4 `gen_time`. */
  clock?: Clock;
  /** Timers for the latency wait; pass a manual clock in tests. */
  timers?: Timers;
  /** Source of randomness in [0, 1) for the fake tokens and grid tiles. Default Math.random. */
  random?: () => number;
}

/** The wait of a task with no latency, shared by all of them. */
const settled: Promise<void> = Promise.resolve();

/**
 * Creates a test double that returns well-formed fake solutions without solving anything,
 * for development and CI. It is not a solver: its tokens are random strings that no site
 * accepts. Every task type in TASK_SPECS gets a solution with the required fields of its
 * variant after `latencyMs`.
 *
 * To make a task fail, put `sandbox-error-<CODE>` in any string field of the task (up to four
 * levels deep), such as `websiteKey` for token tasks, `capMonsterModule` for ImageToTextTask or
 * `metadata.Task` for ComplexImageTask. The task then fails after the latency with `<CODE>`
 * if it is a protocol error code, else with ERROR_CAPTCHA_UNSOLVABLE.
 *
 * @example
 * const server = createTaskServer({ clientKeys: ['dev-key'], solvers: createSandboxSolver({ latencyMs: 50 }) });
 */
export function createSandboxSolver(options: SandboxSolverOptions = {}): Solver {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const random = options.random ?? Math.random;
  const latencyOf = (task: Record<string, unknown> & { type: string }): number => {
    if (typeof options.latencyMs === 'function') return options.latencyMs(task);
    return options.latencyMs ?? SANDBOX_LATENCY_MS[taskClassOf(task.type)];
  };

  return {
    // A promise chain instead of an async function, so that a pending task keeps one promise
    // and one callback during the wait rather than a suspended function frame.
    solve(task, context) {
      let waiting: Promise<void>;
      try {
        const latencyMs = Math.max(0, latencyOf(task));
        // No latency needs no timer: the task is solved once the current request is handled.
        // Leaving the signal unread also spares the solve its AbortController.
        waiting = latencyMs === 0 ? settled : sleep(latencyMs, context.signal, timers);
      } catch (error) {
        return Promise.reject(error);
      }
      return waiting.then(() => {
        const requested = findRequestedError(task, 0);
        if (requested !== undefined) throw requestedFailure(requested, context.taskId);
        return buildSandboxSolution(task, { random, now: clock.now() });
      });
    },
  };
}

/** Builds the failure a `sandbox-error-<CODE>` value requests, explaining an unusable code. */
function requestedFailure(requested: string, taskId: number): CaptaskError {
  const usable = isProtocolErrorCode(requested) && requested !== 'CAPTCHA_NOT_READY';
  if (usable) {
    return new CaptaskError(requested, {
      description: `The sandbox solver failed the task as its input requested (${requested}).`,
      taskId,
    });
  }
  const shown = requested.length > 40 ? `${requested.slice(0, 40)}...` : requested;
  const problem = isProtocolErrorCode(requested)
    ? `${requested} is a polling state, not a task error`
    : `No protocol error code is named ${JSON.stringify(shown)}`;
  return new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', {
    description: `${problem}, so the sandbox solver failed the task with ERROR_CAPTCHA_UNSOLVABLE. To choose the error, write ${SANDBOX_ERROR_PREFIX} followed by a protocol error code such as ERROR_PROXY_BANNED or ERROR_TOKEN_EXPIRED.`,
    taskId,
  });
}

/**
 * Finds the first `sandbox-error-` string in a task, looking at most four levels deep, and
 * returns the text after the prefix.
 */
function findRequestedError(value: unknown, depth: number): string | undefined {
  if (typeof value === 'string') {
    return value.startsWith(SANDBOX_ERROR_PREFIX)
      ? value.slice(SANDBOX_ERROR_PREFIX.length)
      : undefined;
  }
  if (depth >= 4 || typeof value !== 'object' || value === null) return undefined;
  for (const item of Object.values(value)) {
    const found = findRequestedError(item, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
