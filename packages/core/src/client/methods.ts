import { readLongPollCapability } from '../gateway/long-poll';
import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { sleep } from './abort';
import { neverConnected } from './connect-failure';
import { type ClientContext, callMethod, logRetry, openBody } from './context';
import { taskIdLiteral } from './json-body';
import type { Redactor } from './redact';
import type { ReplyBody } from './reply';
import { noSlotDelay } from './retry-policy';
import { safeStatus } from './server-text';
import type { CreatedTask, CreateTaskOptions, TaskId, TaskResult } from './types';

/**
 * Tells whether a createTask failure leaves open that the service created and charged a task:
 * no complete reply, an unreadable reply, or an HTTP 5xx without a protocol body. A connection
 * that provably never opened is not ambiguous.
 */
function isAmbiguous(error: CaptaskError): boolean {
  if (error.code === 'CLIENT_NETWORK_ERROR') return !neverConnected(error);
  if (error.code === 'CLIENT_INVALID_RESPONSE') return true;
  return error.code === 'CLIENT_HTTP_ERROR' && (error.status ?? 0) >= 500;
}

/** Returns a redactor that also hides the task's proxy password. */
export function taskRedactor(context: ClientContext, task: Record<string, unknown>): Redactor {
  return context.redactor.with([task.proxyPassword]);
}

/**
 * Sends createTask. It repeats the request only after ERROR_NO_SLOT_AVAILABLE, when no task
 * exists, up to `retry.noSlotRetries` times. After a failure that leaves open whether a task
 * was created (network error, timeout, HTTP error, unreadable body) it never sends again.
 */
export async function createTask(
  context: ClientContext,
  task: Record<string, unknown>,
  options: CreateTaskOptions = {},
): Promise<CreatedTask<Record<string, unknown>> & { raw: ReplyBody }> {
  const redactor = taskRedactor(context, task);
  let body = `${openBody(context)},"task":${JSON.stringify(task)}`;
  if (options.callbackUrl !== undefined)
    body += `,"callbackUrl":${JSON.stringify(options.callbackUrl)}`;
  if (context.softId !== undefined) body += `,"softId":${JSON.stringify(context.softId)}`;
  body += '}';

  for (let repeat = 0; ; repeat += 1) {
    try {
      const signal = options.signal;
      const reply = await callMethod(context, { method: 'createTask', body, redactor, signal });
      return readCreated(reply);
    } catch (error) {
      if (!isCaptaskError(error)) throw error;
      if (isAmbiguous(error)) throw ambiguousCreateError(error);
      if (neverConnected(error)) throw notSentError(error);
      if (error.code !== 'ERROR_NO_SLOT_AVAILABLE' || repeat >= context.retry.noSlotRetries) {
        throw error;
      }
      const delayMs = noSlotDelay(repeat + 1, context.retry);
      logRetry(context, { method: 'createTask', error, delayMs });
      await sleep(delayMs, {
        signal: options.signal,
        timers: context.timers,
        method: 'createTask',
      });
    }
  }
}

function readCreated(reply: ReplyBody): CreatedTask<Record<string, unknown>> & { raw: ReplyBody } {
  const taskId = reply.taskId;
  if (!isTaskId(taskId)) {
    throw new CaptaskError('CLIENT_INVALID_RESPONSE', {
      method: 'createTask',
      description:
        'The createTask reply reports success but carries no valid taskId (a positive integer or a non-blank string), so nothing can be polled.',
      retryable: false,
    });
  }

  const longPoll = readLongPollCapability(reply);
  const announced = longPoll === undefined ? {} : { longPoll };
  const solution = isReady(reply.status) ? reply.solution : undefined;
  if (isObject(solution)) return { taskId, ready: solution, raw: reply, ...announced };
  return { taskId, raw: reply, ...announced };
}

/**
 * Tells whether a createTask reply's taskId can be polled: a positive integer that a double
 * holds exactly, a string of digits for a positive integer beyond 2^53 (as `parseReplyJson`
 * makes of one), or any other non-blank string, such as a UUID.
 */
function isTaskId(value: unknown): value is TaskId {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0;
  if (typeof value !== 'string' || value.trim() === '') return false;
  if (/^-?[0-9]+$/.test(value)) return /^[0-9]*[1-9][0-9]*$/.test(value);
  return true;
}

function ambiguousCreateError(error: CaptaskError): CaptaskError {
  return new CaptaskError(error.code, {
    method: 'createTask',
    status: error.status,
    description: `${error.description} The service may have created and charged a task, so createTask was not sent again.`,
    retryable: false,
    details: { ...error.details, taskMayExist: true },
    cause: error.cause,
  });
}

/** Marks a createTask failure whose connection never opened: no task can exist. */
function notSentError(error: CaptaskError): CaptaskError {
  return new CaptaskError(error.code, {
    method: 'createTask',
    description: `${error.description} The connection never opened, so no task was created.`,
    details: { ...error.details, taskMayExist: false },
    cause: error.cause,
  });
}

/**
 * Sends one getTaskResult request. A `ready` reply returns the solution untouched; every
 * other status (processing, idle, unknown) and CAPTCHA_NOT_READY return `processing`.
 * A positive `waitMs` adds the long-poll field; `timeoutMs` must then cover the hold.
 */
export async function getTaskResult(
  context: ClientContext,
  taskId: TaskId,
  options: { signal?: AbortSignal; timeoutMs?: number; redactor?: Redactor; waitMs?: number } = {},
): Promise<TaskResult<Record<string, unknown>>> {
  const { waitMs, ...callOptions } = options;
  const hold = waitMs !== undefined && waitMs > 0 ? `,"captask":{"waitMs":${waitMs}}` : '';
  const body = `${openBody(context)},"taskId":${taskIdLiteral(taskId)}${hold}}`;
  const reply = await callMethod(context, {
    method: 'getTaskResult',
    body,
    taskId,
    ...callOptions,
  });
  const redactor = options.redactor ?? context.redactor;
  const serverStatus = typeof reply.status === 'string' ? reply.status : undefined;
  if (!isReady(serverStatus)) {
    // The status reaches progress events and timeout messages, so it is redacted and cut.
    const safe = serverStatus === undefined ? undefined : safeStatus(serverStatus, redactor);
    return { status: 'processing', serverStatus: safe };
  }

  if (!isObject(reply.solution)) {
    throw new CaptaskError('CLIENT_INVALID_RESPONSE', {
      method: 'getTaskResult',
      taskId,
      description: 'The getTaskResult reply has status ready but no solution object.',
      retryable: false,
    });
  }
  return { status: 'ready', solution: reply.solution, raw: reply };
}

/** Sends getBalance and returns the balance. */
export async function getBalance(
  context: ClientContext,
  options: { signal?: AbortSignal } = {},
): Promise<number> {
  const reply = await callMethod(context, {
    method: 'getBalance',
    body: `${openBody(context)}}`,
    ...options,
  });
  const balance = typeof reply.balance === 'string' ? Number(reply.balance) : reply.balance;
  if (typeof balance !== 'number' || !Number.isFinite(balance)) {
    throw new CaptaskError('CLIENT_INVALID_RESPONSE', {
      method: 'getBalance',
      description: 'The getBalance reply carries no numeric balance.',
    });
  }
  return balance;
}

/** Reports a wrong solution: `image` for image tasks, `token` for token tasks. */
export async function reportIncorrect(
  context: ClientContext,
  options: { taskId: TaskId; kind: 'image' | 'token'; signal?: AbortSignal },
): Promise<void> {
  const { taskId, kind, signal } = options;
  const method = kind === 'image' ? 'reportIncorrectImageCaptcha' : 'reportIncorrectTokenCaptcha';
  const body = `${openBody(context)},"taskId":${taskIdLiteral(taskId)}}`;
  await callMethod(context, { method, body, taskId, signal });
}

/** Tells whether a reply's `status` is `ready`, ignoring case and surrounding white space. */
function isReady(status: unknown): boolean {
  return typeof status === 'string' && status.trim().toLowerCase() === 'ready';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
