import { isCaptaskError } from '../protocol/errors';
import { sleep, systemTimers } from '../server/system-time';
import type { Logger, Timers } from '../server/types';
import type { CallbackUrlPolicy } from './callback-url';

export interface CallbackSenderOptions {
  /** Defaults to `globalThis.fetch`, looked up at call time. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Timers for the attempt timeout and the retry delays; tests inject manual ones. */
  timers?: Timers;
  /** Time the receiver has to respond to one POST, in ms. Default 2000, as CapMonster Cloud documents. */
  timeoutMs?: number;
  /** Waits before the retries, in ms; its length is the number of retries. Default [1000, 5000, 15000]. */
  retryDelaysMs?: readonly number[];
  /**
   * Checked again before every attempt, so that a host whose DNS record changed since
   * createTask to a forbidden address is not contacted.
   */
  urlPolicy?: CallbackUrlPolicy;
  logger?: Logger;
}

/** Outcome of one delivery. */
export type CallbackResult =
  | { delivered: true; attempts: number; status: number }
  | { delivered: false; attempts: number; reason: string };

export interface CallbackSender {
  /**
   * POSTs `body` as JSON to `url`, retrying on network errors, timeouts, HTTP 408, 425, 429
   * and 5xx. Never rejects: the promise resolves to the outcome, and failures are logged.
   */
  send(
    url: string,
    body: Record<string, unknown>,
    context: { taskId: number },
  ): Promise<CallbackResult>;
  /** Deliveries still running. */
  readonly pending: number;
  /** Resolves when every delivery running now has ended. */
  idle(): Promise<void>;
  /** Aborts running deliveries and waits for them to end. */
  close(): Promise<void>;
}

const RETRY_STATUSES = new Set([408, 425, 429]);

/**
 * Creates the sender of callback POSTs. Redirects are not followed, since a redirect could
 * point at an address the URL policy rejects; a 3xx counts as a failed delivery.
 *
 * @example
 * const sender = createCallbackSender({ urlPolicy, logger });
 * void sender.send(task.callbackUrl, resultBody, { taskId: task.id });
 */
export function createCallbackSender(options: CallbackSenderOptions = {}): CallbackSender {
  const timers = options.timers ?? systemTimers;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const retryDelaysMs = options.retryDelaysMs ?? [1_000, 5_000, 15_000];
  const closing = new AbortController();
  const running = new Set<Promise<CallbackResult>>();

  const attempt = async (
    url: string,
    payload: string,
  ): Promise<{ status?: number; error?: string }> => {
    if (options.urlPolicy !== undefined) await options.urlPolicy.check(url);
    const controller = new AbortController();
    const timer = timers.setTimeout(() => controller.abort(), timeoutMs);
    const stop = (): void => controller.abort();
    closing.signal.addEventListener('abort', stop, { once: true });
    try {
      const fetchFunction = options.fetch ?? globalThis.fetch;
      const response = await fetchFunction(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payload,
        redirect: 'manual',
        signal: controller.signal,
      });
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      if (controller.signal.aborted && !closing.signal.aborted) {
        return { error: `timed out after ${timeoutMs} ms` };
      }
      return { error: error instanceof Error ? error.message : String(error) };
    } finally {
      timers.clearTimeout(timer);
      closing.signal.removeEventListener('abort', stop);
    }
  };

  const deliver = async (
    url: string,
    body: Record<string, unknown>,
    taskId: number,
  ): Promise<CallbackResult> => {
    const payload = JSON.stringify(body);
    const host = hostOf(url);
    let reason = 'not attempted';
    let attemptsMade = 0;
    for (let attempts = 1; attempts <= retryDelaysMs.length + 1; attempts++) {
      if (closing.signal.aborted) break;
      attemptsMade = attempts;
      let outcome: { status?: number; error?: string };
      try {
        outcome = await attempt(url, payload);
      } catch (error) {
        // The URL policy rejected the host; another try cannot change that soon enough.
        reason = isCaptaskError(error) ? error.description : String(error);
        options.logger?.warn({ taskId, host, attempt: attempts, reason }, 'callback rejected');
        return { delivered: false, attempts, reason };
      }

      const { status } = outcome;
      if (status !== undefined && status >= 200 && status < 300) {
        options.logger?.debug({ taskId, host, attempt: attempts, status }, 'callback delivered');
        return { delivered: true, attempts, status };
      }
      reason = status === undefined ? (outcome.error ?? 'failed') : `HTTP ${status}`;
      const retryable = status === undefined || status >= 500 || RETRY_STATUSES.has(status);
      const delayMs = retryDelaysMs[attempts - 1];
      if (!retryable || delayMs === undefined) {
        options.logger?.error({ taskId, host, attempts, reason }, 'callback delivery failed');
        return { delivered: false, attempts, reason };
      }
      options.logger?.warn({ taskId, host, attempt: attempts, reason, delayMs }, 'callback retry');
      try {
        await sleep(delayMs, closing.signal, timers);
      } catch {
        break;
      }
    }
    options.logger?.warn(
      { taskId, host, attempts: attemptsMade, reason },
      'callback stopped by shutdown',
    );
    return { delivered: false, attempts: attemptsMade, reason: 'the sender closed' };
  };

  return {
    send(url, body, context) {
      const delivery = deliver(url, body, context.taskId);
      running.add(delivery);
      void delivery.finally(() => running.delete(delivery));
      return delivery;
    },
    get pending() {
      return running.size;
    },
    async idle() {
      await Promise.all([...running]);
    },
    async close() {
      closing.abort();
      await Promise.all([...running]);
    },
  };
}

/** Host and port of a URL for logs: never the path or query, which may carry tokens. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid-url';
  }
}
