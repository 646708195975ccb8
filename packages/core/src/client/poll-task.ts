import type { CaptaskError } from '../protocol/errors';
import { type ClientContext, logRetry } from './context';
import { getTaskResult } from './methods';
import { type PollReply, type PollSuccess, pollUntilReady } from './poll-engine';
import type { Redactor } from './redact';
import type { PollPlan } from './schedule';
import type { ProgressEvent, TaskId } from './types';

type Solution = Record<string, unknown>;

export interface PollTaskOptions {
  taskId: TaskId;
  plan: PollPlan;
  /** Clock time of the createTask reply; the schedule and the deadline count from here. */
  createdAt: number;
  /** Long polling as the server announced it in the createTask reply, if it did. */
  longPoll?: { maxWaitMs: number };
  signal?: AbortSignal;
  redactor?: Redactor;
  onProgress?(event: ProgressEvent): void;
  /** Called before a failed poll is repeated; default logs it at `warn`. */
  onRetry?(error: CaptaskError, delayMs: number): void;
}

/**
 * Polls a created task until it is ready. Where the server announced long polling (and the
 * client allows it), every request asks the server to hold it up to the announced maximum, so the
 * solution arrives as soon as it exists; the next request goes out at once after a held
 * request ended at its full wait, and on the plan's schedule after one that ended early.
 * Every request counts against the plan's budget either way.
 */
export function pollTask(
  context: ClientContext,
  options: PollTaskOptions,
): Promise<PollSuccess<{ solution: Solution; raw: Solution }>> {
  const { taskId, plan, signal } = options;
  const maxWaitMs = context.longPoll ? (options.longPoll?.maxWaitMs ?? 0) : 0;
  let lastHoldComplete = false;

  // A held request that ends early (a server restart, a proxy that cut it) falls back to the
  // plan's delay, so that a server announcing long polls it does not hold cannot cause a flood.
  const longPollPlan: PollPlan = {
    ...plan,
    delay: (attempt, elapsedMs) => {
      if (attempt === 0 || lastHoldComplete) return 0;
      return plan.delay(attempt, elapsedMs);
    },
  };

  return pollUntilReady({
    taskId,
    plan: maxWaitMs > 0 ? longPollPlan : plan,
    createdAt: options.createdAt,
    clock: context.clock,
    timers: context.timers,
    requestTimeoutMs: context.requestTimeoutMs + maxWaitMs,
    retry: context.retry,
    signal,
    poll: async (request): Promise<PollReply<{ solution: Solution; raw: Solution }>> => {
      // The hold leaves up to 2 s of the request's time for the network, so near the deadline
      // the request requests a shorter hold, or none.
      const marginMs = Math.min(context.requestTimeoutMs, 2_000);
      const waitMs = Math.max(0, Math.min(maxWaitMs, request.timeoutMs - marginMs));
      const started = context.clock.now();
      const redactor = options.redactor;
      lastHoldComplete = false;
      const reply = await getTaskResult(context, taskId, { ...request, redactor, waitMs });
      lastHoldComplete = waitMs > 0 && context.clock.now() - started >= waitMs;
      if (reply.status !== 'ready') return reply;
      return { status: 'ready', value: { solution: reply.solution, raw: reply.raw } };
    },
    onProgress: options.onProgress,
    onRetry:
      options.onRetry ??
      ((error, delayMs) => logRetry(context, { method: 'getTaskResult', taskId, error, delayMs })),
  });
}
