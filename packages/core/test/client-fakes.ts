import type { ClientClock, ClientTimers } from '@captask/core/client';

/** A manual clock and timers, plus a driver that runs a promise to completion without sleeping. */
export interface FakeTime extends ClientClock, ClientTimers {
  /** Timers scheduled and not yet fired or cleared. */
  readonly pending: number;
  /** Every delay passed to setTimeout, in call order. */
  readonly requestedDelays: number[];
  /** Moves time to the next due timer and fires it; returns false when no timer is waiting. */
  step(): boolean;
  /**
   * Settles `promise` by alternately draining pending promise jobs and firing the next timer.
   * Rejects when nothing is pending and the promise is still unsettled.
   */
  run<T>(promise: Promise<T>): Promise<T>;
}

/** Lets every queued promise job and I/O callback run. */
export function drain(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createFakeTime(start = 1_000_000): FakeTime {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { dueAt: number; callback: () => void }>();
  const requestedDelays: number[] = [];

  const step = (): boolean => {
    let chosen: number | undefined;
    for (const [id, timer] of timers) {
      const current = chosen === undefined ? undefined : timers.get(chosen);
      if (current === undefined || timer.dueAt < current.dueAt) chosen = id;
    }
    if (chosen === undefined) return false;
    const timer = timers.get(chosen);
    timers.delete(chosen);
    if (timer === undefined) return false;
    now = Math.max(now, timer.dueAt);
    timer.callback();
    return true;
  };

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId++;
      requestedDelays.push(ms);
      timers.set(id, { dueAt: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    get pending() {
      return timers.size;
    },
    requestedDelays,
    step,
    async run(promise) {
      let settled = false;
      promise.then(
        () => {
          settled = true;
        },
        () => {
          settled = true;
        },
      );
      for (let turns = 0; turns < 100_000; turns += 1) {
        await drain();
        if (settled) return promise;
        if (!step()) throw new Error('promise is unsettled and no timer is pending');
      }
      throw new Error('promise did not settle within 100 000 timer steps');
    },
  };
}

/** One request the scripted fetch received. */
export interface RecordedRequest {
  method: string;
  url: string;
  body: string;
  signal: AbortSignal | undefined;
  at: number;
}

/** Produces the reply to one request: a Response, a thrown error, or a promise of either. */
export type Responder = (request: RecordedRequest) => Response | Promise<Response>;

/**
 * Creates a fetch double that replies to each protocol method from its own queue of
 * responders, and the last responder of a queue repeats. It rejects with the signal's reason
 * when the signal aborts.
 */
export function createScriptedFetch(
  script: Record<string, Responder[]>,
  clock: ClientClock = { now: () => Date.now() },
) {
  const requests: RecordedRequest[] = [];
  const counters = new Map<string, number>();

  const fetch = (input: string, init: RequestInit): Promise<Response> => {
    const method = new URL(input).pathname.split('/').pop() ?? '';
    const request: RecordedRequest = {
      method,
      url: input,
      body: String(init.body),
      signal: init.signal ?? undefined,
      at: clock.now(),
    };
    requests.push(request);
    const queue = script[method];
    if (queue === undefined || queue.length === 0) {
      return Promise.reject(new Error(`no responder for ${method}`));
    }
    const index = counters.get(method) ?? 0;
    counters.set(method, index + 1);
    const responder = queue[Math.min(index, queue.length - 1)] as Responder;

    const signal = init.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Response>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      Promise.resolve()
        .then(() => responder(request))
        .then(resolve, reject);
    });
  };

  return {
    fetch,
    requests,
    count: (method: string) => requests.filter((r) => r.method === method).length,
  };
}

/** Builds a JSON response with HTTP status `status`, 200 by default. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Responder that never responds; only an abort of its request ends it. */
export const hang: Responder = () => new Promise<Response>(() => {});

export const PROCESSING = { errorId: 0, status: 'processing' };
