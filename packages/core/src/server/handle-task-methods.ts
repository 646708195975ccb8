import { CaptaskError } from '../protocol/errors';
import type { MethodResult } from './handle-create-task';
import {
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
 * `processing`, `ready` with the solution, or the task's error.
 */
export async function handleGetTaskResult(
  context: ServerContext,
  body: Record<string, unknown>,
): Promise<MethodResult> {
  const caller = await authenticate(context, body);
  const owned = await findOwnedTask(context, caller, body);
  const limit = context.limits.maxPollsPerTask;
  const counted = await context.store.countPoll(owned.id, limit);
  if (!counted.found) throw noSuchTask(context, owned.id);
  if (!counted.allowed) {
    throw new CaptaskError('ERROR_TOO_MUCH_REQUESTS', {
      description: `Task ${owned.id} already had ${limit} result requests, the maximum per task.`,
      taskId: owned.id,
    });
  }

  const { task } = counted;
  const outcome = task.outcome;
  if (task.state === 'processing' || outcome === undefined) {
    return { body: { errorId: 0, status: 'processing' }, taskId: task.id, outcome: 'processing' };
  }
  if (outcome.status === 'failed') {
    const body = {
      errorId: 1,
      errorCode: outcome.errorCode,
      errorDescription: outcome.errorDescription,
    };
    return { body, taskId: task.id, outcome: outcome.errorCode };
  }
  const ready: Record<string, unknown> = {
    errorId: 0,
    status: 'ready',
    solution: outcome.solution,
  };
  if (outcome.cost !== undefined) ready.cost = outcome.cost;
  ready.createTime = Math.floor(task.createdAt / 1000);
  if (task.completedAt !== undefined) ready.endTime = Math.floor(task.completedAt / 1000);
  ready.solveCount = 1;
  return { body: ready, taskId: task.id, outcome: 'ready' };
}

/** Handles getBalance. */
export async function handleGetBalance(
  context: ServerContext,
  body: Record<string, unknown>,
): Promise<MethodResult> {
  const { account } = await authenticate(context, body);
  const balance = await context.accounts.getBalance(account.id);
  return { body: { errorId: 0, balance }, outcome: 'ok' };
}

/**
 * Handles reportIncorrectImageCaptcha and reportIncorrectTokenCaptcha: accepts a report on a
 * solved task of the caller and passes it to the `onIncorrectReport` hook.
 */
export async function handleReportIncorrect(
  context: ServerContext,
  body: Record<string, unknown>,
  kind: 'image' | 'token',
): Promise<MethodResult> {
  const caller = await authenticate(context, body);
  const task = await findOwnedTask(context, caller, body);
  if (task.state !== 'ready') {
    throw new CaptaskError('ERROR_NO_SUCH_CAPCHA_ID', {
      description: `Task ${task.id} has no solution to report: it is ${task.state === 'processing' ? 'still processing' : 'failed'}.`,
      taskId: task.id,
    });
  }
  context.logger.info({ taskId: task.id, type: task.type, kind }, 'incorrect solution reported');
  callHook(context, 'onIncorrectReport', () => context.hooks.onIncorrectReport?.(task, kind));
  return { body: { errorId: 0, status: 'success' }, taskId: task.id, outcome: 'ok' };
}

/** Reads the body's taskId and returns the task if it exists and belongs to the caller. */
async function findOwnedTask(
  context: ServerContext,
  caller: Caller,
  body: Record<string, unknown>,
): Promise<StoredTask> {
  const parsed = parseTaskId(readField(body, 'taskId'));
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
