import { linkSignal, raceAbort } from '../client/abort';
import { readCappedText } from '../client/read-capped';
import { createRedactor, type Redactor } from '../client/redact';
import { safeDescription, safeErrorCode } from '../client/server-text';
import { CaptaskError, fromServerErrorCode, isCaptaskError } from '../protocol/errors';
import { systemTimers } from '../server/system-time';
import type { TaskOutcome, Timers } from '../server/types';

/** A task as `/worker/claim` returns it. */
export interface ClaimedTask {
  leaseId: string;
  taskId: number;
  type: string;
  task: Record<string, unknown> & { type: string };
  attempt: number;
  leaseExpiresAt: number;
}

export interface WorkerClientOptions {
  /** Base URL of the captask server, such as `http://127.0.0.1:8080`. */
  url: string;
  key: string;
  fetch?: typeof fetch;
  /**
   * Largest response body read, in bytes after content decoding; a longer one fails with
   * CLIENT_INVALID_RESPONSE. Default 16 777 216 (16 MiB), room for 16 claimed tasks of the
   * server's largest createTask body.
   */
  maxResponseBytes?: number;
  /**
   * Timeout of one request, in ms, from sending it to reading the whole response; it then fails
   * with CLIENT_NETWORK_ERROR and `details.timedOut`. Default 10 000.
   */
  requestTimeoutMs?: number;
  /** Timers for the request timeout; inject manual ones in tests. */
  timers?: Timers;
}

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1_048_576;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Typed calls to the worker API; each throws a CaptaskError when the call fails. */
export interface WorkerClient {
  claim(
    request: { types: readonly string[]; max: number; leaseMs: number },
    signal?: AbortSignal,
  ): Promise<ClaimedTask[]>;
  extend(leaseId: string, leaseMs: number, signal?: AbortSignal): Promise<number>;
  release(leaseId: string, signal?: AbortSignal): Promise<void>;
  submit(leaseId: string, outcome: TaskOutcome, signal?: AbortSignal): Promise<boolean>;
}

/**
 * Creates a client for the worker methods of a captask server. `createWorker` builds on it;
 * use it directly to drive leases by hand.
 *
 * @example
 * const client = createWorkerClient({ url: 'http://127.0.0.1:8080', key: 'w-secret' });
 * const [task] = await client.claim({ types: ['ImageToTextTask'], max: 1, leaseMs: 30_000 });
 */
export function createWorkerClient(options: WorkerClientOptions): WorkerClient {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const redactor = createRedactor([options.key]);

  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new RangeError(`requestTimeoutMs must be a number above 0, got ${requestTimeoutMs}`);
  }
  const timers = options.timers ?? systemTimers;

  async function call(
    name: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const method = `worker/${name}`;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    // A request that hangs (no response, a body that never ends) would stall the worker loop
    // or a lease extension for good, so each one has its own timeout besides the caller's signal.
    const link = linkSignal(signal, requestTimeoutMs, timers);
    try {
      const response = await fetchImpl(new URL(method, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, workerKey: options.key }),
        // A redirect would carry the worker key to the address it names.
        redirect: 'manual',
        signal: link.signal,
      });
      const context = { method, maxResponseBytes, signal: link.signal, redactor };
      return await raceAbort(readBody(response, context), link.signal);
    } catch (error) {
      if (signal?.aborted)
        throw new CaptaskError('CLIENT_ABORTED', { method, cause: signal.reason });
      if (link.timedOut()) {
        throw new CaptaskError('CLIENT_NETWORK_ERROR', {
          method,
          description: `The ${method} request timed out after ${requestTimeoutMs} ms.`,
          details: { timedOut: true },
        });
      }
      if (isCaptaskError(error)) throw error;
      throw new CaptaskError('CLIENT_NETWORK_ERROR', { method, cause: redactor.cause(error) });
    } finally {
      link.dispose();
    }
  }

  return {
    async claim(request, signal) {
      const body = await call('claim', { ...request, types: [...request.types] }, signal);
      if (!Array.isArray(body.tasks)) throw invalidResponse('worker/claim', 'tasks is missing');
      return body.tasks as ClaimedTask[];
    },

    async extend(leaseId, leaseMs, signal) {
      const body = await call('extend', { leaseId, leaseMs }, signal);
      return Number(body.leaseExpiresAt);
    },

    async release(leaseId, signal) {
      await call('release', { leaseId }, signal);
    },

    async submit(leaseId, outcome, signal) {
      const result =
        outcome.status === 'ready'
          ? { solution: outcome.solution }
          : { errorCode: outcome.errorCode, errorDescription: outcome.errorDescription };
      const body = await call('submit', { leaseId, ...result }, signal);
      return body.accepted === true;
    },
  };
}

async function readBody(
  response: Response,
  context: {
    method: string;
    maxResponseBytes: number;
    signal: AbortSignal | undefined;
    redactor: Redactor;
  },
): Promise<Record<string, unknown>> {
  const { method, maxResponseBytes, signal, redactor } = context;
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    const redirect = response.type === 'opaqueredirect' || Math.floor(response.status / 100) === 3;
    const description = redirect
      ? `The ${method} response is a redirect (HTTP ${response.status}). The worker does not follow redirects, because the request body contains the worker key. Set url to the URL the redirect points to.`
      : undefined;
    const status = response.status;
    // A 4xx other than 408 and 429 (a wrong URL, say) repeats the same way on every attempt.
    const retryable = !redirect && (status >= 500 || status === 408 || status === 429);
    throw new CaptaskError('CLIENT_HTTP_ERROR', {
      method,
      status,
      retryable,
      ...(redirect ? { description } : {}),
    });
  }

  let body: unknown;
  try {
    const text = await readCappedText(response, maxResponseBytes, signal);
    if (text === undefined) {
      throw new CaptaskError('CLIENT_INVALID_RESPONSE', {
        method,
        status: 200,
        description: `The ${method} response body is larger than ${maxResponseBytes} bytes, so the worker stopped reading it. Raise maxResponseBytes if the server sends replies that large.`,
      });
    }
    body = JSON.parse(text);
  } catch (error) {
    // The caller distinguishes an abort from a timeout, because only it has both signals.
    if (error instanceof CaptaskError || signal?.aborted) throw error;
    throw new CaptaskError('CLIENT_INVALID_RESPONSE', {
      method,
      status: 200,
      cause: redactor.cause(error),
    });
  }
  if (typeof body !== 'object' || body === null) throw invalidResponse(method, 'not an object');

  const record = body as Record<string, unknown>;
  if (record.errorId !== 0) {
    // The server's strings reach logs and onError, so they lose the worker key first.
    const errorCode = typeof record.errorCode === 'string' ? record.errorCode : '';
    const text = record.errorDescription;
    const description = typeof text === 'string' ? safeDescription(text, redactor) : undefined;
    if (errorCode === '') {
      throw new CaptaskError('UNKNOWN_ERROR_CODE', {
        method,
        status: 200,
        description: description ?? `The ${method} reply has a non-zero errorId and no errorCode.`,
      });
    }
    throw fromServerErrorCode(safeErrorCode(errorCode, redactor), {
      method,
      status: 200,
      ...(description === undefined ? {} : { description }),
    });
  }
  return record;
}

function invalidResponse(method: string, detail: string): CaptaskError {
  return new CaptaskError('CLIENT_INVALID_RESPONSE', {
    method,
    description: `The response body is not a worker API response: ${detail}.`,
  });
}
