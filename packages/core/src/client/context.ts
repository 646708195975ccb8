import type { CaptaskError } from '../protocol/errors';
import type { Logger } from '../server/types';
import { throwIfAborted } from './abort';
import { type HttpExchange, postJson } from './http';
import type { Redactor } from './redact';
import { type ReplyBody, readReply } from './reply';
import type { RetryPolicy } from './retry-policy';
import type { ScheduleOverride } from './schedule';
import type {
  ClientClock,
  ClientHooks,
  ClientTimers,
  FetchFunction,
  ProtocolMethod,
  TaskId,
} from './types';
import { methodUrl } from './url';

/** Resolved client settings shared by every method. */
export interface ClientContext {
  clientKey: string;
  baseUrl: string;
  fetch: FetchFunction | undefined;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  maxPolls: number;
  schedule: ScheduleOverride | undefined;
  retry: RetryPolicy;
  clock: ClientClock;
  timers: ClientTimers;
  logger: Logger | undefined;
  hooks: ClientHooks;
  softId: number | undefined;
  redactor: Redactor;
  /** Whether `solve` uses long polling where the server announces it. */
  longPoll: boolean;
}

export interface CallOptions {
  method: ProtocolMethod;
  /** The JSON body, clientKey included. */
  body: string;
  signal?: AbortSignal;
  taskId?: TaskId;
  /** Per-request timeout; defaults to the client's. */
  timeoutMs?: number;
  /** Redactor for this call, when the call carries more secrets than the client's. */
  redactor?: Redactor;
}

/** Sends one protocol request and returns its reply body, or rejects with a CaptaskError. */
export async function callMethod(context: ClientContext, options: CallOptions): Promise<ReplyBody> {
  const { method, taskId } = options;
  const redactor = options.redactor ?? context.redactor;
  throwIfAborted(options.signal, { method, taskId });
  notify(context, 'onRequest', () => context.hooks.onRequest?.({ method, taskId }));

  const exchange: HttpExchange = await postJson({
    fetch: resolveFetch(context),
    url: methodUrl(context.baseUrl, method),
    method,
    body: options.body,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? context.requestTimeoutMs,
    maxResponseBytes: context.maxResponseBytes,
    timers: context.timers,
    now: () => context.clock.now(),
    redactor,
    taskId,
  });
  const { status, durationMs } = exchange;
  notify(context, 'onResponse', () =>
    context.hooks.onResponse?.({ method, taskId, status, durationMs }),
  );
  return readReply(exchange, { method, taskId, redactor, now: context.clock.now() });
}

/** Starts a JSON body with the clientKey, leaving out the closing brace. */
export function openBody(context: ClientContext): string {
  return `{"clientKey":${JSON.stringify(context.clientKey)}`;
}

/** Logs a repeated request at `warn` with its ids and error code, never the body. */
export function logRetry(
  context: ClientContext,
  event: { method: ProtocolMethod; taskId?: TaskId; error: CaptaskError; delayMs: number },
): void {
  const { method, taskId, error, delayMs } = event;
  context.logger?.warn(
    { method, taskId, code: error.code, status: error.status, delayMs },
    `${method} failed with ${error.code}; repeating in ${delayMs} ms`,
  );
  notify(context, 'onRetry', () => context.hooks.onRetry?.(event));
}

/** Runs a caller's hook; an exception from it is logged and does not stop the request. */
export function notify(context: ClientContext, hook: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    const message = error instanceof Error ? context.redactor.text(error.message) : typeof error;
    context.logger?.warn({ hook, error: message }, `client hook ${hook} threw`);
  }
}

function resolveFetch(context: ClientContext): FetchFunction {
  if (context.fetch !== undefined) return context.fetch;
  const global = (globalThis as { fetch?: FetchFunction }).fetch;
  if (typeof global !== 'function') {
    throw new TypeError('No fetch function: pass `fetch` to createClient on this runtime');
  }
  return global.bind(globalThis);
}
