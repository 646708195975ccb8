import { throwIfAborted } from './abort';
import { type ClientContext, logRetry, notify } from './context';
import { defaultSchedule } from './default-schedules';
import { createTask, getTaskResult, taskRedactor } from './methods';
import { type PollReply, pollUntilReady } from './poll-engine';
import { checkMaxPolls, resolvePlan } from './schedule';
import type { PendingTask, SolveOptions, SolveResult } from './types';

type Solution = Record<string, unknown>;

/**
 * Creates a task and polls it until it is ready. With `callbackUrl` and no `wait`, it returns
 * `{ taskId, pending: true }` after createTask without polling.
 */
export async function solve(
  context: ClientContext,
  task: Record<string, unknown> & { type: string },
  options: SolveOptions = {},
): Promise<SolveResult<Solution> | PendingTask> {
  const { signal, callbackUrl } = options;
  if (typeof task?.type !== 'string') {
    throw new TypeError('task.type must be a task type string, such as ImageToTextTask');
  }
  if (options.maxPolls !== undefined) checkMaxPolls(options.maxPolls);
  const maxPolls = Math.min(options.maxPolls ?? context.maxPolls, context.maxPolls);
  const plan = resolvePlan(defaultSchedule(task), [context.schedule, options.schedule], maxPolls);
  throwIfAborted(signal, { method: 'createTask' });

  const startedAt = context.clock.now();
  const created = await createTask(context, task, { callbackUrl, signal });
  const createdAt = context.clock.now();
  const { taskId } = created;
  context.logger?.debug({ taskId, type: task.type }, 'task created');

  if (created.ready !== undefined) {
    const timings = { startedAt, createdAt, readyAt: createdAt, elapsedMs: 0 };
    return {
      solution: created.ready,
      taskId,
      polls: 0,
      timings: { ...timings, totalMs: createdAt - startedAt },
      raw: created.raw,
    };
  }
  if (callbackUrl !== undefined && options.wait !== true) {
    return { taskId, pending: true, createdAt };
  }

  const redactor = taskRedactor(context, task);
  const result = await pollUntilReady({
    taskId,
    plan,
    createdAt,
    clock: context.clock,
    timers: context.timers,
    requestTimeoutMs: context.requestTimeoutMs,
    retry: context.retry,
    signal,
    poll: async (request): Promise<PollReply<{ solution: Solution; raw: Solution }>> => {
      const reply = await getTaskResult(context, taskId, { ...request, redactor });
      if (reply.status !== 'ready') return reply;
      return { status: 'ready', value: { solution: reply.solution, raw: reply.raw } };
    },
    onProgress: (event) => notify(context, 'onProgress', () => options.onProgress?.(event)),
    onRetry: (error, delayMs) =>
      logRetry(context, { method: 'getTaskResult', taskId, error, delayMs }),
  });

  const { readyAt, polls } = result;
  context.logger?.debug({ taskId, polls, elapsedMs: readyAt - createdAt }, 'task ready');
  return {
    solution: result.value.solution,
    taskId,
    polls,
    timings: {
      startedAt,
      createdAt,
      readyAt,
      elapsedMs: readyAt - createdAt,
      totalMs: readyAt - startedAt,
    },
    raw: result.value.raw,
  };
}
