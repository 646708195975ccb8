import { throwIfAborted } from './abort';
import { type ClientContext, notify } from './context';
import { defaultSchedule } from './default-schedules';
import { createTask, taskRedactor } from './methods';
import { pollTask } from './poll-task';
import { checkMaxPolls, resolvePlan } from './schedule';
import type {
  PendingTask,
  PolledResult,
  SolveOptions,
  SolveResult,
  TaskId,
  WaitForResultOptions,
} from './types';

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

  const result = await pollTask(context, {
    taskId,
    plan,
    createdAt,
    signal,
    redactor: taskRedactor(context, task),
    ...(created.longPoll === undefined ? {} : { longPoll: created.longPoll }),
    onProgress: (event) => notify(context, 'onProgress', () => options.onProgress?.(event)),
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

/**
 * Polls a task that createTask created earlier until it is ready, on the default schedule of
 * `task`'s type. Pass the createTask result's `longPoll` to let the server hold the requests.
 */
export async function waitForResult(
  context: ClientContext,
  taskId: TaskId,
  task: Record<string, unknown> & { type: string },
  options: WaitForResultOptions = {},
): Promise<PolledResult<Solution>> {
  if (options.maxPolls !== undefined) checkMaxPolls(options.maxPolls);
  const maxPolls = Math.min(options.maxPolls ?? context.maxPolls, context.maxPolls);
  const plan = resolvePlan(defaultSchedule(task), [context.schedule, options.schedule], maxPolls);
  throwIfAborted(options.signal, { method: 'getTaskResult', taskId });

  const result = await pollTask(context, {
    taskId,
    plan,
    createdAt: context.clock.now(),
    signal: options.signal,
    redactor: taskRedactor(context, task),
    ...(options.longPoll === undefined ? {} : { longPoll: options.longPoll }),
    onProgress: (event) => notify(context, 'onProgress', () => options.onProgress?.(event)),
  });
  const { solution, raw } = result.value;
  return { solution, taskId, polls: result.polls, raw };
}
