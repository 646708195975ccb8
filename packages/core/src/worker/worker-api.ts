import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { DEFAULT_PRICES, type PriceTable, priceOf } from '../server/pricing';
import { refundFailedTask } from '../server/task-billing';
import type { AccountSource, Logger, ServerHooks, TaskOutcome, TaskStore } from '../server/types';
import type { WorkQueue } from './types';
import { errorResponse, jsonResponse, readJsonObject } from './worker-http';
import { createKeyMatcher } from './worker-keys';
import {
  leaseIdField,
  leaseMsField,
  parseClaim,
  parseOutcome,
  resolveLimits,
  type WorkerApiLimits,
} from './worker-requests';

export interface WorkerApiOptions {
  queue: WorkQueue;
  /** The task store the task server uses; submitted results are written into it. */
  store: TaskStore;
  /** Keys that workers authenticate with. They must differ from every client key. */
  workerKeys: readonly string[];
  /**
   * The task server's accounts. The task server charges each task's price at createTask; with
   * this, a task that a worker fails (or whose leases all expire) is refunded here at once.
   * Without it, the instance that created the task refunds it when it sees the outcome, which
   * does not happen if that instance has stopped.
   */
  accounts?: AccountSource;
  /** The task server's prices; default DEFAULT_PRICES. */
  prices?: Partial<PriceTable>;
  logger?: Logger;
  hooks?: Pick<ServerHooks, 'onError' | 'onTaskCompleted'>;
  limits?: WorkerApiLimits;
}

/** A `(Request) => Promise<Response>` handler for the worker methods. */
export type WorkerApi = (request: Request) => Promise<Response>;

type Method = 'claim' | 'extend' | 'release' | 'submit';
const METHODS: ReadonlySet<string> = new Set<Method>(['claim', 'extend', 'release', 'submit']);

/**
 * Creates the HTTP handler that workers call. Every method is a POST with a JSON body that
 * carries `workerKey`; the method is the last path segment:
 *
 * - `claim {types?, max?, leaseMs?}` returns `{tasks: [{leaseId, taskId, type, task, attempt, leaseExpiresAt}]}`
 * - `extend {leaseId, leaseMs?}` returns `{leaseExpiresAt}`
 * - `release {leaseId}` puts the task back in the queue without using up an attempt
 * - `submit {leaseId, solution}` or `submit {leaseId, errorCode, errorDescription?}` returns
 *   `{accepted}`, which is false when the task had already finished (for example by timing out)
 *
 * Errors use the protocol's JSON shape with HTTP 200.
 *
 * @example
 * const workers = createWorkerApi({ queue, store: tasks.store, workerKeys: ['w-secret'] });
 * const handler = withWorkerApi(tasks, workers);
 */
export function createWorkerApi(options: WorkerApiOptions): WorkerApi {
  if (options.workerKeys.length === 0 || options.workerKeys.some((key) => key.length === 0)) {
    throw new TypeError('createWorkerApi needs at least one non-empty worker key in workerKeys.');
  }

  const { queue, store, logger, hooks } = options;
  const limits = resolveLimits(options.limits);
  const isWorkerKey = createKeyMatcher(options.workerKeys);
  const prices: PriceTable = { ...DEFAULT_PRICES, ...options.prices };

  /**
   * Writes a worker's outcome into the store. The task server charged the price at createTask,
   * so a solution gets that price as its cost and a failure is refunded, as the task server
   * does for its own solvers.
   */
  async function completeInStore(taskId: number, outcome: TaskOutcome): Promise<boolean> {
    const task = await store.get(taskId);
    if (task === undefined || task.state !== 'processing') return false;

    const accounts = options.accounts;
    const priced: TaskOutcome =
      outcome.status === 'ready' && accounts !== undefined
        ? { ...outcome, cost: priceOf(prices, task.type) }
        : outcome;
    const accepted = await store.complete(taskId, priced);
    if (!accepted) return false;
    if (accounts !== undefined) await refundFailedTask({ accounts, prices, logger }, task, priced);
    if (hooks?.onTaskCompleted !== undefined) {
      const completed = await store.get(taskId);
      if (completed !== undefined) hooks.onTaskCompleted(completed);
    }
    return true;
  }

  async function claim(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const request = parseClaim(body, limits);
    const result = await queue.claim(request);

    for (const failed of result.failed) {
      await completeInStore(failed.taskId, failed.outcome);
      logger?.info({ taskId: failed.taskId }, 'task failed: every lease expired');
    }

    const tasks = result.leases.map((lease) => ({
      leaseId: lease.leaseId,
      taskId: lease.taskId,
      type: lease.type,
      task: lease.task,
      attempt: lease.attempt,
      leaseExpiresAt: lease.expiresAt,
    }));
    return { errorId: 0, tasks };
  }

  async function extend(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const leaseId = leaseIdField(body);
    const expiresAt = await queue.extend(leaseId, leaseMsField(body, limits));
    if (expiresAt === undefined) throw leaseGone();
    return { errorId: 0, leaseExpiresAt: expiresAt };
  }

  async function release(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const released = await queue.release(leaseIdField(body));
    if (!released) throw leaseGone();
    return { errorId: 0, released: true };
  }

  async function submit(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const leaseId = leaseIdField(body);
    const outcome = parseOutcome(body);
    const lease = await queue.getLease(leaseId);
    if (lease === undefined) throw leaseGone();

    // The store decides first: if this instance dies before `finish`, the job stays leased,
    // its lease expires, and the next worker's result finds the task already complete.
    const accepted = await completeInStore(lease.taskId, outcome);
    if (accepted) {
      await queue.finish(lease.taskId, outcome);
    } else {
      const stored = await store.get(lease.taskId);
      if (stored?.outcome !== undefined) await queue.finish(lease.taskId, stored.outcome);
      else await queue.cancel(lease.taskId);
    }
    logger?.debug({ taskId: lease.taskId, accepted }, 'worker submitted a result');
    return { errorId: 0, accepted };
  }

  const handlers: Record<
    Method,
    (body: Record<string, unknown>) => Promise<Record<string, unknown>>
  > = { claim, extend, release, submit };

  return async (request: Request): Promise<Response> => {
    const method = new URL(request.url).pathname.split('/').filter(Boolean).pop() ?? '';
    try {
      if (request.method !== 'POST' || !METHODS.has(method)) {
        throw new CaptaskError('ERROR_NO_SUCH_METHOD', {
          description:
            'Worker methods are POST /worker/claim, /worker/extend, /worker/release and /worker/submit.',
        });
      }
      const body = await readJsonObject(request, limits.maxBodyBytes);
      const key = body.workerKey;
      if (typeof key !== 'string' || !(await isWorkerKey(key))) {
        throw new CaptaskError('ERROR_KEY_DOES_NOT_EXIST', {
          description: 'workerKey is missing or is not a configured worker key.',
        });
      }
      return jsonResponse(await handlers[method as Method](body));
    } catch (error) {
      if (isCaptaskError(error)) return errorResponse(error);

      const failure = new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
        description: 'The worker request failed inside the server; retry it later.',
        method: `worker/${method}`,
        cause: error,
      });
      logger?.error({ err: error, method: failure.method }, 'worker request failed');
      hooks?.onError?.(failure, { method: failure.method });
      return errorResponse(failure);
    }
  };
}

function leaseGone(): CaptaskError {
  return new CaptaskError('ERROR_NO_SUCH_CAPCHA_ID', {
    description: 'The lease does not exist, was released or has expired; claim the task again.',
  });
}
