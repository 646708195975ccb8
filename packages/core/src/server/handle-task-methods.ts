import { holdUntilFinished, readRequestedWaitMs } from '../gateway/long-poll';
import { CaptaskError } from '../protocol/errors';
import { taskClassOf } from '../protocol/task-specs';
import type { MethodResult } from './handle-create-task';
import { taskResultBody } from './result-body';
import {
  announcement,
  authenticate,
  type Caller,
  callHook,
  readField,
  type ServerContext,
} from './server-context';
import { parseTaskId } from './task-id';
import type { StoredTask } from './types';

/**
 * Handles getTaskResult: counts the request against the per-task limit, then returns
 * `processing`, `ready` with the solution, or the task's error. A request for long polling
 * is held until the task finishes, the requested time passes, the client disconnects
 * or the server closes; it counts as one request however long it is held. `signal` (or a
 * function that returns it, called only when the request is held) aborts when the client leaves.
 * `sourceText`, the body as sent, lets the message about an id above 2^53 quote its digits.
 */
export async function handleGetTaskResult(
  context: ServerContext,
  body: Record<string, unknown>,
  signal?: AbortSignal | (() => AbortSignal),
  sourceText?: string,
): Promise<MethodResult> {
  const caller = await authenticate(context, body);
  const owned = await findOwnedTask(context, caller, body, sourceText);
  const limit = context.limits.maxPollsPerTask;
  const counted = await context.store.countPoll(owned.id, limit);
  if (!counted.found) throw noSuchTask(context, owned.id);
  if (!counted.allowed) {
    throw new CaptaskError('ERROR_TOO_MUCH_REQUESTS', {
      description: `Task ${owned.id} already had ${limit} result requests, the maximum per task.`,
      taskId: owned.id,
    });
  }

  let task = counted.task;
  const waitMs = readRequestedWaitMs(body, context.longPollMaxWaitMs);
  const store = context.store;
  const waitForCompletion = store.waitForCompletion?.bind(store);
  if (task.state === 'processing' && waitMs > 0 && waitForCompletion !== undefined) {
    await holdUntilFinished({
      store: { waitForCompletion },
      taskId: task.id,
      waitMs,
      signal: anySignal(typeof signal === 'function' ? signal() : signal, context.closeSignal),
      timers: context.timers,
    });
    task = (await store.get(task.id)) ?? task;
  }

  const result = taskResultBody(task);
  const outcome = task.outcome;
  if (task.state === 'processing' || outcome === undefined) {
    return { body: result, taskId: task.id, outcome: 'processing' };
  }
  const label = outcome.status === 'failed' ? outcome.errorCode : 'ready';
  return { body: result, taskId: task.id, outcome: label };
}

/** Combines the request's signal (client gone) with the server's close signal. */
function anySignal(request: AbortSignal | undefined, close: AbortSignal): AbortSignal {
  if (request === undefined) return close;
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([request, close]);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (request.aborted || close.aborted) abort();
  request.addEventListener('abort', abort, { once: true });
  close.addEventListener('abort', abort, { once: true });
  return controller.signal;
}

/** Handles getBalance. */
export async function handleGetBalance(
  context: ServerContext,
  body: Record<string, unknown>,
): Promise<MethodResult> {
  const { account } = await authenticate(context, body);
  const balance = await context.accounts.getBalance(account.id);
  return { body: { errorId: 0, balance, ...announcement(context) }, outcome: 'ok' };
}

/**
 * Handles reportIncorrectImageCaptcha and reportIncorrectTokenCaptcha (and its alias
 * reportIncorrectRecaptcha): accepts a report on a solved task of the caller and passes it to
 * the `onIncorrectReport` hook. Image tasks (ImageToTextTask, ComplexImageTask) take the image
 * method and every other type the token method; the other method gets ERROR_TASK_NOT_SUPPORTED
 * naming the right one. A repeated report succeeds again but reaches the hook only once.
 */
export async function handleReportIncorrect(
  context: ServerContext,
  body: Record<string, unknown>,
  kind: 'image' | 'token',
  sourceText?: string,
): Promise<MethodResult> {
  const caller = await authenticate(context, body);
  const task = await findOwnedTask(context, caller, body, sourceText);
  if (task.state !== 'ready') {
    throw new CaptaskError('ERROR_NO_SUCH_CAPCHA_ID', {
      description: `Task ${task.id} has no solution to report: it is ${task.state === 'processing' ? 'still processing' : 'failed'}.`,
      taskId: task.id,
    });
  }
  const taskKind = taskClassOf(task.type) === 'image' ? 'image' : 'token';
  if (kind !== taskKind) {
    const method =
      taskKind === 'image' ? 'reportIncorrectImageCaptcha' : 'reportIncorrectTokenCaptcha';
    throw new CaptaskError('ERROR_TASK_NOT_SUPPORTED', {
      description: `Task ${task.id} (${task.type}) is ${taskKind === 'image' ? 'an image' : 'a token'} task; report it with ${method}.`,
      taskId: task.id,
    });
  }

  const success = { errorId: 0, status: 'success' };
  if (!context.reported.recordFirst(task.id)) {
    return { body: success, taskId: task.id, outcome: 'already-reported' };
  }
  context.logger.info({ taskId: task.id, type: task.type, kind }, 'incorrect solution reported');
  callHook(context, 'onIncorrectReport', () => context.hooks.onIncorrectReport?.(task, kind));
  return { body: success, taskId: task.id, outcome: 'ok' };
}

/** Reads the body's taskId and returns the task if it exists and belongs to the caller. */
async function findOwnedTask(
  context: ServerContext,
  caller: Caller,
  body: Record<string, unknown>,
  sourceText: string | undefined,
): Promise<StoredTask> {
  const parsed = parseTaskId(readField(body, 'taskId'), { sourceText });
  if (!parsed.ok) throw new CaptaskError('ERROR_NO_SUCH_CAPCHA_ID', { description: parsed.reason });
  const task = await context.store.get(parsed.taskId);
  // Another account's task is reported exactly like a missing one, so ids reveal nothing.
  if (task === undefined || task.accountId !== caller.account.id) {
    throw noSuchTask(context, parsed.taskId);
  }
  return task;
}

function noSuchTask(context: ServerContext, taskId: number): CaptaskError {
  const minutes = context.limits.resultTtlMs / 60_000;
  return new CaptaskError('ERROR_NO_SUCH_CAPCHA_ID', {
    description: `No task ${taskId} exists for this key, or its result expired (results are kept ${minutes} min).`,
    taskId,
  });
}
