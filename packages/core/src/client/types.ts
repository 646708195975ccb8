import type { CaptaskError } from '../protocol/errors';
import type { Logger } from '../server/types';
import type { RetryOptions } from './retry-policy';
import type { ScheduleOverride } from './schedule';

/**
 * A task id exactly as the server sent it: a number, a string of digits for integers above
 * 2^53 (sent back as a JSON number), or a string such as a UUID (sent back as a JSON string).
 */
export type TaskId = number | string;

/** The fetch signature the client calls; `globalThis.fetch` fits it. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Source of the current time in milliseconds; tests inject a manual one. */
export interface ClientClock {
  now(): number;
}

/** Timer functions; tests inject manual ones so that no test sleeps. */
export interface ClientTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Protocol methods the client sends, named by their URL path segment. */
export type ProtocolMethod =
  | 'createTask'
  | 'getTaskResult'
  | 'getBalance'
  | 'reportIncorrectImageCaptcha'
  | 'reportIncorrectTokenCaptcha';

/** Observers of the client's requests. A hook that throws is logged and otherwise ignored. */
export interface ClientHooks {
  onRequest?(event: { method: ProtocolMethod; taskId?: TaskId }): void;
  onResponse?(event: {
    method: ProtocolMethod;
    taskId?: TaskId;
    status: number;
    durationMs: number;
  }): void;
  /** Called before the client waits to repeat a failed request. */
  onRetry?(event: {
    method: ProtocolMethod;
    taskId?: TaskId;
    error: CaptaskError;
    delayMs: number;
  }): void;
}

export interface ClientOptions {
  /** The account's API key. It is never logged and never appears in an error. */
  clientKey: string;
  /** Service root; a path prefix is kept. Defaults to `CAPMONSTER_CLOUD_URL`. */
  baseUrl?: string;
  /** Defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: FetchFunction;
  /** Timeout of one HTTP request in milliseconds. Default 20 000. */
  requestTimeoutMs?: number;
  /**
   * Largest response body the client reads, in bytes after content decoding; a longer one
   * fails with CLIENT_INVALID_RESPONSE. Default 1 048 576 (1 MiB).
   */
  maxResponseBytes?: number;
  /** Polling schedule for every `solve`, merged over the per-type default. */
  schedule?: ScheduleOverride;
  /** Maximum getTaskResult requests per task, retries included: 1 to 120, default 120. */
  maxPolls?: number;
  retry?: RetryOptions;
  clock?: ClientClock;
  timers?: ClientTimers;
  /** pino-compatible logger for retries and caught errors. The client never uses `console`. */
  logger?: Logger;
  hooks?: ClientHooks;
  /** Integer sent as `softId` in every createTask body when set. */
  softId?: number;
  /**
   * Whether `solve` uses long polling where a captask server announces it in its createTask
   * response. Default true; servers that do not announce it are polled on the schedule.
   */
  longPoll?: boolean;
}

/** One getTaskResult request as `solve` reports it. */
export interface ProgressEvent {
  taskId: TaskId;
  /** Number of this request, from 1; failed requests count too. */
  attempt: number;
  /** Milliseconds since the createTask reply arrived. */
  elapsedMs: number;
  /** `retrying` when the request failed in a way that `solve` repeats. */
  status: 'processing' | 'ready' | 'retrying';
  /**
   * The `status` string of the reply, such as `processing` or `idle`, when there was one; secrets
   * are removed and it is cut to 32 characters.
   */
  serverStatus?: string;
  /** The failure that `solve` repeats, when `status` is `retrying`. */
  error?: CaptaskError;
}

export interface RequestOptions {
  /** Aborts the request; the promise then rejects with CLIENT_ABORTED. */
  signal?: AbortSignal;
}

export interface GetTaskResultOptions extends RequestOptions {
  /**
   * Asks a captask server to hold the request up to this many ms until the task finishes
   * (`"captask": { "waitMs": n }` in the body); other servers ignore it. The request timeout
   * grows by the same amount. Use it only with a server that announced `longPoll`.
   */
  waitMs?: number;
}

export interface CreateTaskOptions extends RequestOptions {
  /** URL that the service POSTs the getTaskResult body to when the task finishes. */
  callbackUrl?: string;
}

export interface SolveOptions extends CreateTaskOptions {
  /** With `callbackUrl`, poll anyway instead of returning `{ taskId, pending: true }`. */
  wait?: boolean;
  /** Polling schedule for this call, merged over the client's and the per-type default. */
  schedule?: ScheduleOverride;
  /** Maximum getTaskResult requests for this task, retries included; at most the client's. */
  maxPolls?: number;
  /** Called after every getTaskResult request. A hook that throws is logged and ignored. */
  onProgress?(event: ProgressEvent): void;
}

export interface WaitForResultOptions extends RequestOptions {
  /** Polling schedule, merged over the client's and the per-type default. */
  schedule?: ScheduleOverride;
  /** Maximum getTaskResult requests for this task, retries included; at most the client's. */
  maxPolls?: number;
  /** The `longPoll` of the createTask result; with it, requests are held by the server. */
  longPoll?: { maxWaitMs: number };
  /** Called after every getTaskResult request. A hook that throws is logged and ignored. */
  onProgress?(event: ProgressEvent): void;
}

/** Solution of a task polled by `waitForResult`. */
export interface PolledResult<S> {
  solution: S;
  taskId: TaskId;
  /** getTaskResult requests sent, failed ones included. */
  polls: number;
  /** The whole reply that carried the solution, such as a `cost` field beside it. */
  raw: Record<string, unknown>;
}

/** Timestamps from the client's clock, in milliseconds. */
export interface SolveTimings {
  /** When `solve` sent createTask. */
  startedAt: number;
  /** When the createTask reply arrived; polling time counts from here. */
  createdAt: number;
  /** When the solution arrived. */
  readyAt: number;
  /** `readyAt - createdAt`. */
  elapsedMs: number;
  /** `readyAt - startedAt`. */
  totalMs: number;
}

export interface SolveResult<S> {
  /** The solution object as the server sent it, unknown fields included. */
  solution: S;
  taskId: TaskId;
  /** getTaskResult requests sent, failed ones included; 0 when createTask was already ready. */
  polls: number;
  timings: SolveTimings;
  /** The whole reply that carried the solution, such as a `cost` field beside it. */
  raw: Record<string, unknown>;
}

/** Result of `solve` with `callbackUrl` and no `wait`; the solution goes to the callback. */
export interface PendingTask {
  taskId: TaskId;
  pending: true;
  /** When the createTask reply arrived, from the client's clock. */
  createdAt: number;
}

export interface CreatedTask<S> {
  taskId: TaskId;
  /** The solution, when the createTask reply was already `ready` (CapSolver does this). */
  ready?: S;
  /** Long polling as the server announced it; pass `waitMs` to getTaskResult to use it. */
  longPoll?: { maxWaitMs: number };
}

export type TaskResult<S> =
  | { status: 'processing'; serverStatus?: string }
  | { status: 'ready'; solution: S; raw: Record<string, unknown> };
