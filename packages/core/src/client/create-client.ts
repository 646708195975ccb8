import type { SolutionOfTask, Task } from '../protocol/task-types';
import type { ClientContext } from './context';
import * as methods from './methods';
import { createRedactor } from './redact';
import { resolveRetryPolicy } from './retry-policy';
import { checkMaxPolls, MAX_POLLS_PER_TASK } from './schedule';
import { solve, waitForResult } from './solve';
import type {
  ClientOptions,
  ClientTimers,
  CreatedTask,
  CreateTaskOptions,
  GetTaskResultOptions,
  PendingTask,
  PolledResult,
  RequestOptions,
  SolveOptions,
  SolveResult,
  TaskId,
  TaskResult,
  WaitForResultOptions,
} from './types';
import { CAPMONSTER_CLOUD_URL, checkBaseUrl } from './url';

/** Options of a `solve` call that polls: no callback, or a callback with `wait: true`. */
export type WaitingSolveOptions = SolveOptions & ({ callbackUrl?: undefined } | { wait: true });

/** Options of a `solve` call that returns after createTask and leaves the result to a callback. */
export type CallbackSolveOptions = SolveOptions & { callbackUrl: string; wait?: false };

/** A client for the createTask / getTaskResult / getBalance protocol. */
export interface CaptaskClient {
  /** Sends createTask; `ready` is set when the reply already carries the solution. */
  createTask<T extends Task>(
    task: T,
    options?: CreateTaskOptions,
  ): Promise<CreatedTask<SolutionOfTask<T>>>;
  /**
   * Sends one getTaskResult request; every status other than `ready` reads as `processing`.
   * With `waitMs`, a captask server that announced long polling keeps it open until the task ends.
   */
  getTaskResult<S = Record<string, unknown>>(
    taskId: TaskId,
    options?: GetTaskResultOptions,
  ): Promise<TaskResult<S>>;
  getBalance(options?: RequestOptions): Promise<number>;
  /** Reports a wrong solution; `kind` is `image` for image tasks and `token` for the others. */
  reportIncorrect(
    options: { taskId: TaskId; kind: 'image' | 'token' } & RequestOptions,
  ): Promise<void>;
  /**
   * Polls a task that `createTask` created until its solution arrives, on the schedule of
   * `task`'s type. Pass the createTask result's `longPoll` to use long polling.
   */
  waitForResult<T extends Task>(
    taskId: TaskId,
    task: T,
    options?: WaitForResultOptions,
  ): Promise<PolledResult<SolutionOfTask<T>>>;
  /** Creates a task and polls until its solution arrives. */
  solve<T extends Task>(task: T, options: CallbackSolveOptions): Promise<PendingTask>;
  solve<T extends Task>(
    task: T,
    options?: WaitingSolveOptions,
  ): Promise<SolveResult<SolutionOfTask<T>>>;
  solve<T extends Task>(
    task: T,
    options?: SolveOptions,
  ): Promise<SolveResult<SolutionOfTask<T>> | PendingTask>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;

/**
 * Creates a protocol client that runs on any runtime with `fetch`.
 *
 * @example
 * const client = createClient({ clientKey: 'key', baseUrl: 'http://127.0.0.1:8080' });
 * const { solution } = await client.solve({
 *   type: 'TurnstileTask', websiteURL: 'https://example.test/', websiteKey: '0x4AAA',
 * });
 * solution.token;
 */
export function createClient(options: ClientOptions): CaptaskClient {
  const context = resolveContext(options);
  type AnyTask = Record<string, unknown> & { type: string };

  return {
    createTask: (task, callOptions) =>
      methods
        .createTask(context, task as unknown as AnyTask, callOptions)
        .then(({ taskId, ready, longPoll }) => ({
          taskId,
          ...(ready === undefined ? {} : { ready: ready as never }),
          ...(longPoll === undefined ? {} : { longPoll }),
        })),
    getTaskResult: (taskId, callOptions = {}) => {
      const waitMs = checkWaitMs(callOptions.waitMs);
      const timeoutMs = context.requestTimeoutMs + waitMs;
      const request = { signal: callOptions.signal, waitMs, timeoutMs };
      return methods.getTaskResult(context, taskId, request) as Promise<never>;
    },
    getBalance: (callOptions) => methods.getBalance(context, callOptions),
    reportIncorrect: (callOptions) => methods.reportIncorrect(context, callOptions),
    waitForResult: (taskId, task, callOptions) =>
      waitForResult(context, taskId, task as unknown as AnyTask, callOptions) as Promise<never>,
    solve: ((task: AnyTask, callOptions?: SolveOptions) =>
      solve(context, task, callOptions)) as never,
  };
}

function resolveContext(options: ClientOptions): ClientContext {
  if (typeof options.clientKey !== 'string' || options.clientKey === '') {
    throw new TypeError('clientKey must be a non-empty string');
  }
  const baseUrl = options.baseUrl ?? CAPMONSTER_CLOUD_URL;
  checkBaseUrl(baseUrl);
  const maxPolls = options.maxPolls ?? MAX_POLLS_PER_TASK;
  checkMaxPolls(maxPolls);
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new RangeError(
      `requestTimeoutMs must be a finite number above 0, got ${requestTimeoutMs}`,
    );
  }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes <= 0) {
    throw new RangeError(`maxResponseBytes must be a positive integer, got ${maxResponseBytes}`);
  }

  return {
    clientKey: options.clientKey,
    baseUrl,
    fetch: options.fetch,
    requestTimeoutMs,
    maxResponseBytes,
    maxPolls,
    schedule: options.schedule,
    retry: resolveRetryPolicy(options.retry),
    clock: options.clock ?? { now: () => Date.now() },
    timers: options.timers ?? globalTimers(),
    logger: options.logger,
    hooks: options.hooks ?? {},
    softId: options.softId,
    longPoll: options.longPoll ?? true,
    redactor: createRedactor([options.clientKey, options.clientKey.split('__')[0]]),
  };
}

/** Returns the runtime's own timers, looked up on each call so that test doubles installed later work. */
function globalTimers(): ClientTimers {
  return {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

/** Checks a long-poll wait: absent means 0, else a finite number of ms from 0. */
function checkWaitMs(waitMs: number | undefined): number {
  if (waitMs === undefined) return 0;
  if (!Number.isFinite(waitMs) || waitMs < 0) {
    throw new RangeError(`waitMs must be a finite number >= 0, got ${waitMs}`);
  }
  return Math.floor(waitMs);
}
