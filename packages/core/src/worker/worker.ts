import { isProtocolErrorCode } from '../protocol/error-codes';
import { type CaptaskError, toCaptaskError } from '../protocol/errors';
import { systemTimers } from '../server/system-time';
import type { TaskOutcome, Timers } from '../server/types';
import { type ClaimedTask, createWorkerClient, type WorkerClient } from './worker-client';
import { nextSettled, pause, retryDelay } from './worker-waits';

export interface WorkerSolveContext {
  taskId: number;
  /** 1 for the first lease of the task, higher when earlier leases expired. */
  attempt: number;
  /** Aborted when the worker stops or loses the lease to another worker. */
  signal: AbortSignal;
}

export interface WorkerOptions {
  /** Base URL of the captask server, such as `http://127.0.0.1:8080`. */
  url: string;
  /** A worker key of that server; client keys are rejected. */
  key: string;
  /** Canonical task types this worker solves. */
  types: readonly string[];
  /** Returns the solution; a thrown CaptaskError sends its code, anything else ERROR_CAPTCHA_UNSOLVABLE. */
  solve(
    task: Record<string, unknown> & { type: string },
    context: WorkerSolveContext,
  ): Promise<Record<string, unknown>>;
  /** Tasks solved at the same time. Default 1. */
  concurrency?: number;
  /** Lease length requested per task, in ms. Default 60 000. */
  leaseMs?: number;
  /** Interval between lease extensions while a task is being solved, in ms. Default leaseMs / 3. */
  extendEveryMs?: number;
  /** Wait after a claim that returned no task, in ms. Default 1 000. */
  idleDelayMs?: number;
  /**
   * Wait after a failed claim or submit request, in ms. Default 2 000. The wait doubles with
   * each further failure in a row, up to 30 000 or this value when that is larger.
   */
  retryDelayMs?: number;
  /** Timeout of one request to the server, in ms. Default 10 000. */
  requestTimeoutMs?: number;
  /** Stops the worker: no new claims, running solves are aborted and their leases released. */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /**
   * Largest response body read, in bytes after content decoding. Default 16 MiB, or 2 MiB per
   * task of `concurrency` when that is more, since one claim returns up to `concurrency` tasks.
   */
  maxResponseBytes?: number;
  /** Timers for waits and lease extensions; inject a manual clock in tests. */
  timers?: Timers;
  /** Called with every error the worker handles itself, such as a failed claim request. */
  onError?(error: CaptaskError, context: { taskId?: number }): void;
}

export interface Worker {
  /** Resolves once the worker has stopped and every running task has been submitted or released. */
  readonly done: Promise<void>;
  /** Stops the worker as the `signal` option does, and waits for `done`. */
  stop(): Promise<void>;
}

/**
 * Starts a worker that claims tasks from a captask server, solves them and submits the results.
 * It extends each lease while `solve` runs, so a slow solve keeps its task.
 *
 * @example
 * const controller = new AbortController();
 * createWorker({
 *   url: 'http://127.0.0.1:8080',
 *   key: 'w-secret',
 *   types: ['ImageToTextTask'],
 *   solve: async (task) => ({ text: await readImage(task.body) }),
 *   signal: controller.signal,
 * });
 */
export function createWorker(options: WorkerOptions): Worker {
  const concurrency = options.concurrency ?? 1;
  const leaseMs = options.leaseMs ?? 60_000;
  const extendEveryMs = options.extendEveryMs ?? Math.floor(leaseMs / 3);
  const timers = options.timers ?? systemTimers;
  const maxResponseBytes =
    options.maxResponseBytes ?? Math.max(16 * 1_048_576, concurrency * 2 * 1_048_576);
  const client = createWorkerClient({ ...options, maxResponseBytes });
  const stopper = new AbortController();
  const stopSignal = options.signal
    ? AbortSignal.any([options.signal, stopper.signal])
    : stopper.signal;
  const running = new Set<Promise<void>>();
  const retryDelayMs = options.retryDelayMs ?? 2_000;
  let claimFailures = 0;

  const report = (error: unknown, taskId?: number): void => {
    options.onError?.(toCaptaskError(error), taskId !== undefined ? { taskId } : {});
  };

  async function loop(): Promise<void> {
    while (!stopSignal.aborted) {
      if (running.size >= concurrency) {
        await nextSettled(running, stopSignal);
        continue;
      }

      let tasks: ClaimedTask[];
      try {
        const max = concurrency - running.size;
        tasks = await client.claim({ types: options.types, max, leaseMs }, stopSignal);
        claimFailures = 0;
      } catch (error) {
        // NOTE: a claim aborted by stop() may already have leased tasks on the server; they
        // return to the queue when those leases expire, and that uses up one attempt each.
        // A claim that timed out may have leased tasks in the same way.
        if (stopSignal.aborted) break;
        report(error);
        claimFailures += 1;
        await pause(retryDelay(retryDelayMs, claimFailures), stopSignal, timers);
        continue;
      }

      for (const task of tasks) {
        const context = { leaseMs, extendEveryMs, retryDelayMs, stopSignal, timers, report };
        const run = runTask(client, task, options, context);
        running.add(run);
        void run.finally(() => running.delete(run));
      }
      if (tasks.length === 0) await pause(options.idleDelayMs ?? 1_000, stopSignal, timers);
    }
    await Promise.all(running);
  }

  const done = loop();
  return {
    done,
    async stop() {
      stopper.abort();
      await done;
    },
  };
}

interface RunContext {
  leaseMs: number;
  extendEveryMs: number;
  retryDelayMs: number;
  stopSignal: AbortSignal;
  timers: Timers;
  report(error: unknown, taskId?: number): void;
}

async function runTask(
  client: WorkerClient,
  claimed: ClaimedTask,
  options: WorkerOptions,
  context: RunContext,
): Promise<void> {
  const { leaseId, taskId } = claimed;
  const leaseLost = new AbortController();
  const signal = AbortSignal.any([context.stopSignal, leaseLost.signal]);

  const extender = keepExtending(client, claimed, context, () => leaseLost.abort());

  let outcome: TaskOutcome;
  try {
    const solution = await options.solve(claimed.task, {
      taskId,
      attempt: claimed.attempt,
      signal,
    });
    outcome = { status: 'ready', solution };
  } catch (error) {
    outcome = failureOf(error);
  } finally {
    extender.stop();
  }

  if (leaseLost.signal.aborted) return;
  try {
    if (context.stopSignal.aborted) await client.release(leaseId);
    else await submitWithRetries(client, leaseId, outcome, { ...context, taskId });
  } catch (error) {
    context.report(error, taskId);
  }
}

const SUBMIT_ATTEMPTS = 3;

/**
 * Submits an outcome, repeating the request after a transport failure (a timeout, a dropped
 * connection, HTTP 5xx, an unreadable reply) up to 3 attempts in all. A repeat is safe, because
 * the server accepts the first submit of a lease and returns `accepted: false` for later ones.
 * A stop ends the waits between attempts early, not the attempts.
 */
async function submitWithRetries(
  client: WorkerClient,
  leaseId: string,
  outcome: TaskOutcome,
  context: RunContext & { taskId: number },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.submit(leaseId, outcome);
      return;
    } catch (error) {
      const failure = toCaptaskError(error);
      const transient = failure.code.startsWith('CLIENT_') && failure.retryable;
      if (!transient || attempt >= SUBMIT_ATTEMPTS) throw error;
      context.report(error, context.taskId);
      const delayMs = retryDelay(context.retryDelayMs, attempt);
      await pause(delayMs, context.stopSignal, context.timers);
    }
  }
}

/**
 * Turns a solve failure into the outcome a worker submits. ERROR_NO_SLOT_AVAILABLE becomes
 * ERROR_CAPTCHA_UNSOLVABLE with its description, because clients read it as "try again later"
 * and would keep polling a task that has already failed.
 */
function failureOf(error: unknown): TaskOutcome {
  const captaskError = toCaptaskError(error);
  const { code, description } = captaskError;
  if (code === 'ERROR_NO_SLOT_AVAILABLE') {
    return {
      status: 'failed',
      errorCode: 'ERROR_CAPTCHA_UNSOLVABLE',
      errorDescription: description,
    };
  }
  const usable = isProtocolErrorCode(code) && code !== 'CAPTCHA_NOT_READY';
  return usable
    ? { status: 'failed', errorCode: code, errorDescription: description }
    : {
        status: 'failed',
        errorCode: 'ERROR_CAPTCHA_UNSOLVABLE',
        errorDescription: 'The worker could not solve the task.',
      };
}

/**
 * Extends the lease every `extendEveryMs` until stopped. When the server rejects an extension
 * because the lease expired or went to another worker, it calls `onLost` and stops. A failed
 * request is retried at the next interval.
 */
function keepExtending(
  client: WorkerClient,
  claimed: ClaimedTask,
  context: RunContext,
  onLost: () => void,
): { stop(): void } {
  let stopped = false;
  let handle: unknown;

  const extendOnce = (): void => {
    client
      .extend(claimed.leaseId, context.leaseMs, context.stopSignal)
      .then(schedule, (error: unknown) => {
        if (context.stopSignal.aborted) return;
        context.report(error, claimed.taskId);
        if (toCaptaskError(error).code === 'ERROR_NO_SUCH_CAPCHA_ID') onLost();
        else schedule();
      });
  };
  function schedule(): void {
    if (!stopped) handle = context.timers.setTimeout(extendOnce, context.extendEveryMs);
  }

  schedule();
  return {
    stop() {
      stopped = true;
      context.timers.clearTimeout(handle);
    },
  };
}
