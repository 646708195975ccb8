import { type GatewayServerOptions, resolveGatewayFeatures } from '../gateway/server-features';
import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { type ValidateOptions, validateTask } from '../protocol/validate';
import type { KeyDigest } from './constant-time';
import { handleCreateTask, type MethodResult } from './handle-create-task';
import {
  handleGetBalance,
  handleGetTaskResult,
  handleReportIncorrect,
} from './handle-task-methods';
import { createMemoryStore, DEFAULT_MAX_STORED_TASK_BYTES } from './memory-store';
import { type PlainRequest, type PlainResponse, WebRequestSource } from './plain-request';
import { DEFAULT_PRICES, type PriceTable } from './pricing';
import { DEFAULT_MAX_BODY_BYTES, type JsonBody, readJsonBody } from './read-body';
import { createReportedTasks } from './reported-tasks';
import {
  httpMethodLabel,
  type MethodName,
  type Route,
  routeOf,
  unknownMethodError,
} from './routing';
import {
  callHook,
  isInfoEnabled,
  type ResolvedLimits,
  type ServerContext,
  silentLogger,
} from './server-context';
import { type ClientKeyEntry, createStaticAccounts } from './static-accounts';
import { systemClock, systemTimers } from './system-time';
import { checkAccounts } from './task-billing';
import type { AccountSource, Clock, Logger, ServerHooks, Solver, TaskStore, Timers } from './types';
import { errorBody, JSON_HEADERS, toWebResponse } from './wire';

export interface TaskServerLimits {
  /** getTaskResult requests allowed per task; the next one gets ERROR_TOO_MUCH_REQUESTS. Default 120. */
  maxPollsPerTask?: number;
  /** How long a finished task's result stays readable, in ms. Default 300,000 (5 minutes). */
  resultTtlMs?: number;
  /** How long an unfinished task may exist, in ms. Default solveTimeoutMs + resultTtlMs. */
  pendingTtlMs?: number;
  /** Largest request body accepted, in bytes. Default 1,048,576 (1 MiB). */
  maxBodyBytes?: number;
  /** Solve deadline per task, in ms; the task then fails with ERROR_CAPTCHA_UNSOLVABLE. Default 180,000. */
  solveTimeoutMs?: number;
  /**
   * Tasks one account may have in progress in this process; the next createTask gets
   * ERROR_NO_SLOT_AVAILABLE until one finishes. Default 1,000.
   */
  maxPendingTasksPerAccount?: number;
  /**
   * `maxBytes` of the memory store that the server creates when `store` is not given: the
   * total JSON length of the stored tasks, finished ones included until they expire. Over it,
   * createTask gets ERROR_NO_SLOT_AVAILABLE. Default 268,435,456 (256 MiB).
   */
  maxStoredTaskBytes?: number;
}

/** Server options; the gateway ones (long polling, callbacks, key limits) are documented there. */
export interface TaskServerOptions extends GatewayServerOptions {
  /** Account source that authenticates keys and keeps balances. Give this or `clientKeys`. */
  accounts?: AccountSource;
  /** Shortcut for `accounts: createStaticAccounts({ keys: clientKeys })`. */
  clientKeys?: ReadonlyArray<string | ClientKeyEntry>;
  /**
   * SHA-256 function for the `clientKeys` accounts (`createStaticAccounts`' `digest`). On Node,
   * pass `(value) => createHash('sha256').update(value).digest()`: it is cheaper per request
   * than the default, Web Crypto's asynchronous `crypto.subtle.digest`.
   */
  clientKeyDigest?: KeyDigest;
  /**
   * Task storage. Default: a memory store using the limits' TTLs, which `close()` also closes.
   * A store passed in here is left open by `close()`.
   */
  store?: TaskStore;
  /** Solvers tried in order by task type; at least one is required. */
  solvers: Solver | readonly Solver[];
  /** pino-compatible logger; default discards everything. */
  logger?: Logger;
  hooks?: ServerHooks;
  clock?: Clock;
  /** Timers for solve deadlines; inject them together with `clock` in tests. */
  timers?: Timers;
  limits?: TaskServerLimits;
  /** Task prices, reserved at createTask and refunded when a task fails; default DEFAULT_PRICES. */
  prices?: Partial<PriceTable>;
  /** Options for task validation, such as image size bounds and string field lengths. */
  validation?: ValidateOptions;
}

/** A `Request -> Response` handler for the protocol, with its store and shutdown attached. */
export type TaskServer = ((request: Request) => Promise<Response>) & {
  /** Aborts solves in progress (their tasks fail), waits for them, and closes an owned store. */
  close(): Promise<void>;
  /**
   * The same handler for a request given as plain fields. Adapters that do not start from a
   * web `Request` (`@captask/node` on Node's http module) call it and write the reply
   * themselves, with no `Request` or `Response` object made per request. An adapter that takes
   * any handler finds it with `plainEntryOf`, which ignores copies on wrappers.
   */
  handlePlain(request: PlainRequest): Promise<PlainResponse>;
  /**
   * Resolves when every solve in progress has finished. Cloudflare Workers cancel a request's
   * background work once its response is sent, so adapters there call `ctx.waitUntil(idle())`.
   */
  idle(): Promise<void>;
  readonly store: TaskStore;
};

/** Key of the plain entry of a task server, shared by the ESM and CommonJS builds. */
const PLAIN_ENTRY = Symbol.for('captask.plainEntry');

/**
 * Returns the `handlePlain` of a handler that `createTaskServer` made, or undefined for any
 * other function, including a wrapper that copied a task server's properties. An adapter
 * calls it to know whether it may skip the web `Request`.
 *
 * @example
 * const plain = plainEntryOf(handler);
 * const reply = plain ? await plain(plainRequest) : await handler(request);
 */
export function plainEntryOf(
  handler: unknown,
): ((request: PlainRequest) => Promise<PlainResponse>) | undefined {
  if (typeof handler !== 'function') return undefined;
  const entry = (handler as unknown as Record<symbol, unknown>)[PLAIN_ENTRY] as
    | { owner: unknown; handle: (request: PlainRequest) => Promise<PlainResponse> }
    | undefined;
  return entry?.owner === handler ? entry.handle : undefined;
}

const OPTIONS_HEADERS = { allow: 'OPTIONS, POST' };

/** Headers of a reply to a method other than POST, which tell the client to use POST. */
const NOT_POST_HEADERS = { ...JSON_HEADERS, allow: 'POST' };

/**
 * Creates the protocol server as a web-standard handler. It routes by the last path segment,
 * so it works mounted at any path. It sends every outcome as HTTP 200 with protocol JSON,
 * and solves tasks in the background after the createTask response is sent.
 *
 * @example
 * const server = createTaskServer({ clientKeys: ['dev-key'], solvers: createSandboxSolver() });
 * const response = await server(new Request('http://localhost/getBalance', {
 *   method: 'POST',
 *   body: JSON.stringify({ clientKey: 'dev-key' }),
 * }));
 */
export function createTaskServer(options: TaskServerOptions): TaskServer {
  const closeController = new AbortController();
  const context = createContext(options, closeController.signal);
  const ownsStore = options.store === undefined;

  const handlePlain = async (request: PlainRequest): Promise<PlainResponse> => {
    // Building the log record costs more than some requests, so skip it when nothing is logged.
    const logRequests = isInfoEnabled(context.logger);
    const started = logRequests ? performance.now() : 0;
    const httpMethod = request.method;
    const route = routeOf(request.url);
    const method = route.method;
    const result = await dispatch(context, request, route, options.validation);
    if (logRequests) {
      context.logger.info(
        {
          method: method ?? null,
          httpMethod: httpMethodLabel(httpMethod),
          ...route.logFields,
          outcome: result.outcome,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
          ...(result.taskId === undefined ? {} : { taskId: result.taskId }),
        },
        'request',
      );
    }
    if (httpMethod === 'OPTIONS' && method !== undefined) {
      return { status: 204, headers: OPTIONS_HEADERS, body: null };
    }
    if (httpMethod === 'POST') {
      return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(result.body) };
    }
    const body = httpMethod === 'HEAD' ? null : JSON.stringify(result.body);
    return { status: 200, headers: NOT_POST_HEADERS, body };
  };

  const handler = async (request: Request): Promise<Response> =>
    toWebResponse(await handlePlain(new WebRequestSource(request)));

  const close = async (): Promise<void> => {
    context.closing = true;
    closeController.abort();
    const running = [...context.inFlight.values()];
    const reason = new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', {
      description: 'The server shut down.',
    });
    for (const solve of running) solve.abort(reason);
    await Promise.all(running.map(({ done }) => done));
    await context.callbacks.sender.close();
    if (ownsStore) await context.store.close?.();
  };

  const idle = async (): Promise<void> => {
    await Promise.all([...context.inFlight.values()].map(({ done }) => done));
    await context.callbacks.sender.idle();
  };

  // The entry records its owner, so a wrapper that copies the handler's properties, and then
  // handles some requests differently, is not mistaken for this server (see plainEntryOf).
  Object.defineProperty(handler, PLAIN_ENTRY, { value: { owner: handler, handle: handlePlain } });
  return Object.assign(handler, { handlePlain, close, idle, store: context.store });
}

async function dispatch(
  context: ServerContext,
  request: PlainRequest,
  route: Route,
  validation: ValidateOptions | undefined,
): Promise<MethodResult> {
  const method = route.method;
  try {
    if (method === undefined || request.method !== 'POST') {
      // Nothing reads this body, so cancel it. The adapter can then close the connection
      // instead of draining an upload that no handler reads.
      await request.discardBody();
    }
    if (method === undefined) throw unknownMethodError(route);
    if (request.method === 'OPTIONS') return { body: {}, outcome: 'options' };
    if (request.method !== 'POST') {
      throw new CaptaskError('ERROR_NO_SUCH_METHOD', {
        description: `HTTP method ${httpMethodLabel(request.method)} is not supported; send ${method} as POST with a JSON body.`,
      });
    }
    const body = await readJsonBody(request, context.limits.maxBodyBytes);
    return await runMethod(context, method, body, validation, request);
  } catch (error) {
    if (isCaptaskError(error)) return { body: errorBody(error, method), outcome: error.code };
    context.logger.error({ err: error, method }, 'request failed');
    const failure = new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
      description: 'The server failed to handle the request; retry later.',
      cause: error,
    });
    callHook(context, 'onError', () => context.hooks.onError?.(failure, { method }));
    return { body: errorBody(failure, method), outcome: 'internal-error' };
  }
}

function runMethod(
  context: ServerContext,
  method: MethodName,
  { value: body, text }: JsonBody,
  validation: ValidateOptions | undefined,
  request: PlainRequest,
): Promise<MethodResult> {
  switch (method) {
    case 'createTask':
      return handleCreateTask(context, body, validation);
    case 'getTaskResult':
      // Some adapters build the signal on first read, so only a held request reads it.
      return handleGetTaskResult(context, body, () => request.signal, text);
    case 'getBalance':
      return handleGetBalance(context, body);
    case 'reportIncorrectImageCaptcha':
      return handleReportIncorrect(context, body, 'image', text);
    case 'reportIncorrectTokenCaptcha':
      return handleReportIncorrect(context, body, 'token', text);
  }
}

function createContext(options: TaskServerOptions, closeSignal: AbortSignal): ServerContext {
  const solvers = Array.isArray(options.solvers) ? options.solvers : [options.solvers];
  if (solvers.length === 0) {
    throw new TypeError(
      'createTaskServer needs at least one solver, such as createSandboxSolver().',
    );
  }
  // validateTask throws a RangeError for invalid image bounds; surface it at construction.
  validateTask({ type: 'ImageToTextTask' }, options.validation);
  const accounts = checkAccounts(
    options.accounts ?? accountsFromKeys(options.clientKeys, options.clientKeyDigest),
  );
  const clock = options.clock ?? systemClock;
  const limits = resolveLimits(options.limits ?? {});
  const baseStore =
    options.store ??
    createMemoryStore({
      clock,
      resultTtlMs: limits.resultTtlMs,
      pendingTtlMs: limits.pendingTtlMs,
      maxBytes: options.limits?.maxStoredTaskBytes ?? DEFAULT_MAX_STORED_TASK_BYTES,
    });
  const logger = options.logger ?? silentLogger;
  const timers = options.timers ?? systemTimers;
  const prices = { ...DEFAULT_PRICES, ...options.prices };
  const features = resolveGatewayFeatures(options, {
    store: baseStore,
    ownsStore: options.store === undefined,
    clock,
    timers,
    logger,
  });
  return {
    store: features.store,
    accounts,
    solvers: solvers as readonly Solver[],
    logger,
    hooks: options.hooks ?? {},
    clock,
    timers,
    limits,
    prices,
    inFlight: new Map(),
    deadlineTimer: undefined,
    pendingByAccount: new Map(),
    reported: createReportedTasks(clock, limits.resultTtlMs),
    closing: false,
    closeSignal,
    longPollMaxWaitMs: features.longPollMaxWaitMs,
    callbacks: features.callbacks,
  };
}

function accountsFromKeys(
  keys: TaskServerOptions['clientKeys'],
  digest: KeyDigest | undefined,
): AccountSource {
  if (keys === undefined || keys.length === 0) {
    throw new TypeError('createTaskServer needs `accounts` or a non-empty `clientKeys` list.');
  }
  return createStaticAccounts({ keys, digest });
}

function resolveLimits(limits: TaskServerLimits): ResolvedLimits {
  const resultTtlMs = limits.resultTtlMs ?? 5 * 60_000;
  const solveTimeoutMs = limits.solveTimeoutMs ?? 180_000;
  return {
    maxPollsPerTask: limits.maxPollsPerTask ?? 120,
    resultTtlMs,
    solveTimeoutMs,
    pendingTtlMs: limits.pendingTtlMs ?? solveTimeoutMs + resultTtlMs,
    maxBodyBytes: limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxPendingTasksPerAccount: limits.maxPendingTasksPerAccount ?? 1_000,
  };
}
