import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { sleep } from './abort';
import { decidePollRetry, type RetryPolicy } from './retry-policy';
import type { PollPlan } from './schedule';
import type { ClientClock, ClientTimers, ProgressEvent, TaskId } from './types';

/** The reply of one getTaskResult request: a value when ready, else still processing. */
export type PollReply<R> =
  | { status: 'ready'; value: R }
  | { status: 'processing'; serverStatus?: string };

export interface PollEngineOptions<R> {
  taskId: TaskId;
  plan: PollPlan;
  /** Clock time at which the task was created; schedule and deadline count from here. */
  createdAt: number;
  clock: ClientClock;
  timers: ClientTimers;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  signal?: AbortSignal;
  /** Sends one getTaskResult request; it must reject only with CaptaskError. */
  poll(request: { signal: AbortSignal | undefined; timeoutMs: number }): Promise<PollReply<R>>;
  onProgress?(event: ProgressEvent): void;
  /** Called before waiting to repeat a failed poll. */
  onRetry?(error: CaptaskError, delayMs: number): void;
}

export interface PollSuccess<R> {
  value: R;
  /** getTaskResult requests sent, failed ones included. */
  polls: number;
  readyAt: number;
}

/**
 * Polls one task until it is ready. It never sends more than `plan.maxPolls` requests,
 * sends none at or after the deadline, and repeats a failed request on the same task id only
 * when the failure reveals nothing about the task: network, HTTP 5xx/429, unreadable body,
 * ERROR_TOO_MUCH_REQUESTS, and up to `retry.noSlotPollRetries` ERROR_NO_SLOT_AVAILABLE replies.
 * Rejects with CLIENT_TIMEOUT at the deadline, CLIENT_POLL_BUDGET_EXHAUSTED at the budget,
 * CLIENT_ABORTED on abort, or the task's error.
 */
export async function pollUntilReady<R>(options: PollEngineOptions<R>): Promise<PollSuccess<R>> {
  const { plan, clock, taskId, signal, retry } = options;
  const deadlineAt = options.createdAt + plan.deadlineMs;
  let polls = 0;
  let failures = 0;
  let noSlotReplies = 0;
  let slowDown = 1;
  let lastStatus = 'no request sent yet';
  let delay = delayOf(plan, 0, Math.max(0, clock.now() - options.createdAt));

  const stop = (code: 'CLIENT_TIMEOUT' | 'CLIENT_POLL_BUDGET_EXHAUSTED', cause?: unknown) =>
    limitError(
      code,
      { taskId, polls, lastStatus, elapsedMs: clock.now() - options.createdAt },
      cause,
    );

  for (;;) {
    const waitStart = clock.now();
    if (waitStart + delay >= deadlineAt) {
      await sleep(deadlineAt - waitStart, {
        signal,
        timers: options.timers,
        method: 'getTaskResult',
        taskId,
      });
      throw stop('CLIENT_TIMEOUT');
    }
    await sleep(delay, { signal, timers: options.timers, method: 'getTaskResult', taskId });

    polls += 1;
    const remaining = deadlineAt - clock.now();
    const timeoutMs = Math.max(1, Math.min(options.requestTimeoutMs, remaining));
    let reply: PollReply<R>;
    try {
      reply = await options.poll({ signal, timeoutMs });
    } catch (thrown) {
      if (!isCaptaskError(thrown) || thrown.code === 'CLIENT_ABORTED') throw thrown;
      const cutByDeadline = timeoutMs < options.requestTimeoutMs && thrown.details?.timedOut;
      if (cutByDeadline === true || clock.now() >= deadlineAt) {
        lastStatus = `request cut off by the deadline`;
        throw stop('CLIENT_TIMEOUT', thrown);
      }

      failures += 1;
      if (thrown.code === 'ERROR_NO_SLOT_AVAILABLE') noSlotReplies += 1;
      if (noSlotReplies > retry.noSlotPollRetries) throw thrown;
      const decision = decidePollRetry(thrown, failures, retry);
      if (!decision.retry) throw thrown;
      if (decision.slowDown)
        slowDown = Math.min(retry.maxSlowDown, slowDown * retry.slowDownFactor);
      lastStatus = `failed with ${thrown.code}`;
      const elapsedMs = clock.now() - options.createdAt;
      options.onProgress?.({
        taskId,
        attempt: polls,
        elapsedMs,
        status: 'retrying',
        error: thrown,
      });
      if (polls >= plan.maxPolls) throw stop('CLIENT_POLL_BUDGET_EXHAUSTED', thrown);

      delay = Math.max(decision.delayMs, delayOf(plan, polls, elapsedMs) * slowDown);
      options.onRetry?.(thrown, delay);
      continue;
    }

    failures = 0;
    const elapsedMs = clock.now() - options.createdAt;
    if (reply.status === 'ready') {
      options.onProgress?.({ taskId, attempt: polls, elapsedMs, status: 'ready' });
      return { value: reply.value, polls, readyAt: clock.now() };
    }

    lastStatus = reply.serverStatus ?? 'processing';
    const serverStatus = reply.serverStatus;
    options.onProgress?.({ taskId, attempt: polls, elapsedMs, status: 'processing', serverStatus });
    if (polls >= plan.maxPolls) throw stop('CLIENT_POLL_BUDGET_EXHAUSTED');
    delay = delayOf(plan, polls, elapsedMs) * slowDown;
  }
}

/** Calls the schedule; a negative or NaN delay from a caller's function counts as 0. */
function delayOf(plan: PollPlan, attempt: number, elapsedMs: number): number {
  const delay = plan.delay(attempt, elapsedMs);
  return Number.isNaN(delay) || delay < 0 ? 0 : delay;
}

function limitError(
  code: 'CLIENT_TIMEOUT' | 'CLIENT_POLL_BUDGET_EXHAUSTED',
  facts: { taskId: TaskId; polls: number; lastStatus: string; elapsedMs: number },
  cause: unknown,
): CaptaskError {
  const { taskId, polls, lastStatus, elapsedMs } = facts;
  const reason = code === 'CLIENT_TIMEOUT' ? 'the deadline passed' : 'the request budget is spent';
  return new CaptaskError(code, {
    method: 'getTaskResult',
    taskId,
    description: `Task ${taskId} is not ready and ${reason}: ${elapsedMs} ms since creation, ${polls} getTaskResult requests sent, last status: ${lastStatus}.`,
    details: { elapsedMs, polls, lastStatus },
    cause,
  });
}
