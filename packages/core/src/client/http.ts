import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { abortedError, linkSignal, raceAbort, throwIfAborted } from './abort';
import { readCappedText } from './read-capped';
import type { Redactor } from './redact';
import type { ClientTimers, FetchFunction, ProtocolMethod, TaskId } from './types';

/** One HTTP request and its complete response, before any protocol parsing. */
export interface HttpExchange {
  status: number;
  headers: Headers;
  text: string;
  durationMs: number;
}

export interface PostOptions {
  fetch: FetchFunction;
  url: string;
  method: ProtocolMethod;
  /** The JSON body. It contains the clientKey, so it never reaches an error or a log. */
  body: string;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  /** Largest response body read, in bytes after content decoding. */
  maxResponseBytes: number;
  timers: ClientTimers;
  now: () => number;
  redactor: Redactor;
  taskId?: TaskId;
}

/**
 * POSTs a JSON body and reads the response text, up to `maxResponseBytes`. The caller's abort rejects with
 * CLIENT_ABORTED; a timeout or a network failure rejects with CLIENT_NETWORK_ERROR whose
 * cause is a redacted copy of what fetch threw. A redirect rejects with CLIENT_HTTP_ERROR and
 * is not followed, because following it would send the clientKey to the address it names.
 * A longer body rejects with CLIENT_INVALID_RESPONSE.
 */
export async function postJson(options: PostOptions): Promise<HttpExchange> {
  const { method, taskId, signal } = options;
  throwIfAborted(signal, { method, taskId });

  const started = options.now();
  const link = linkSignal(signal, options.timeoutMs, options.timers);
  try {
    const response = await options.fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: options.body,
      redirect: 'manual',
      signal: link.signal,
    });
    if (isRedirect(response)) {
      response.body?.cancel().catch(() => {});
      throw redirectError(response, method, taskId);
    }
    const reading = readCappedText(response, options.maxResponseBytes, link.signal);
    const text = await raceAbort(reading, link.signal);
    if (text === undefined) throw tooLargeError(response.status, options);
    return {
      status: response.status,
      headers: response.headers,
      text,
      durationMs: options.now() - started,
    };
  } catch (error) {
    if (isCaptaskError(error)) throw error;
    if (signal?.aborted) throw abortedError(signal, { method, taskId });
    throw new CaptaskError('CLIENT_NETWORK_ERROR', {
      method,
      taskId,
      description: link.timedOut()
        ? `The ${method} request timed out after ${options.timeoutMs} ms.`
        : `The ${method} request failed before a complete response arrived.`,
      details: { timedOut: link.timedOut() },
      cause: options.redactor.cause(error),
    });
  } finally {
    link.dispose();
  }
}

function tooLargeError(status: number, options: PostOptions): CaptaskError {
  const { method, taskId, maxResponseBytes } = options;
  return new CaptaskError('CLIENT_INVALID_RESPONSE', {
    method,
    taskId,
    status,
    description: `The ${method} response body is larger than ${maxResponseBytes} bytes, so the client stopped reading it. Raise maxResponseBytes if the server sends replies that large.`,
    details: { maxResponseBytes },
  });
}

/**
 * Tells whether a response is a redirect. With `redirect: 'manual'`, server runtimes return the
 * 3xx response itself, and browsers an opaque one with status 0.
 */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

function redirectError(
  response: Response,
  method: string,
  taskId: TaskId | undefined,
): CaptaskError {
  const status = response.status === 0 ? undefined : response.status;
  const named = status === undefined ? 'a redirect' : `a redirect (HTTP ${status})`;
  return new CaptaskError('CLIENT_HTTP_ERROR', {
    method,
    taskId,
    status,
    description: `The ${method} response is ${named}. The client does not follow redirects, because the request body contains the clientKey. Set baseUrl to the URL the redirect points to.`,
    retryable: false,
  });
}
