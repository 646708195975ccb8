import {
  type CaptaskError,
  createManualClock,
  createWorker,
  createWorkerClient,
} from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import { methodOf, type RawServer, sendJson, startRawServer } from './raw-http';
import {
  createInstance,
  createShared,
  createTask,
  settle,
  turnstileTask,
  WORKER_KEY,
} from './worker-harness';

const KEY = 'worker-timeout-key-0123456789';
const CLAIM = { types: ['TurnstileTask'], max: 1, leaseMs: 60_000 };

let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Waits, in real time but bounded, until `check` passes. */
async function until(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 500 && !check(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  expect(check()).toBe(true);
}

describe('worker request timeout', () => {
  it.each([
    ['no response', () => {}],
    [
      'a body that never ends',
      (res: import('node:http').ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' }).write('{"errorId":0,');
      },
    ],
  ])('fails a claim with %s', async (_, reply) => {
    server = await startRawServer((res) => reply(res));
    const clock = createManualClock();
    const client = createWorkerClient({
      url: server.url,
      key: KEY,
      timers: clock,
      requestTimeoutMs: 5_000,
    });
    let settled: CaptaskError | undefined;

    client.claim(CLAIM).catch((error: CaptaskError) => {
      settled = error;
    });
    await until(() => server?.requests.length === 1);
    await settle(20);
    clock.advance(4_999);
    await settle(20);
    expect(settled).toBeUndefined();
    clock.advance(1);
    await until(() => settled !== undefined);

    expect(settled?.code).toBe('CLIENT_NETWORK_ERROR');
    expect(settled?.details?.timedOut).toBe(true);
    expect(settled?.description).toMatch(/timed out after 5000 ms/);
  });

  it('keeps the caller abort apart from the timeout', async () => {
    server = await startRawServer(() => {});
    const clock = createManualClock();
    const client = createWorkerClient({ url: server.url, key: KEY, timers: clock });
    const controller = new AbortController();

    const claim = client.claim(CLAIM, controller.signal).catch((error: CaptaskError) => error);
    await until(() => server?.requests.length === 1);
    controller.abort(new Error('stopping'));

    expect((await claim).code).toBe('CLIENT_ABORTED');
    expect(clock.pendingTimers).toBe(0);
  });

  it('retries a hung claim with backoff', async () => {
    server = await startRawServer((res, request) => {
      if (methodOf(request) !== 'claim') return sendJson(res, { errorId: 0 });
      // The first two claims hang; later ones get an empty task list.
      if ((server?.requests.length ?? 0) > 2) sendJson(res, { errorId: 0, tasks: [] });
    });
    const clock = createManualClock();
    const errors: CaptaskError[] = [];
    const worker = createWorker({
      url: server.url,
      key: KEY,
      types: ['TurnstileTask'],
      solve: async () => ({ token: 'x' }),
      timers: clock,
      requestTimeoutMs: 5_000,
      retryDelayMs: 1_000,
      idleDelayMs: 60_000,
      onError: (error) => errors.push(error),
    });

    await until(() => server?.requests.length === 1);
    await settle(20);
    clock.advance(5_000);
    await until(() => errors.length === 1);
    clock.advance(999);
    await settle(20);
    expect(server.requests).toHaveLength(1);
    clock.advance(1);
    await until(() => server?.requests.length === 2);

    // The second failure in a row doubles the wait.
    await settle(20);
    clock.advance(5_000);
    await until(() => errors.length === 2);
    clock.advance(1_999);
    await settle(20);
    expect(server.requests).toHaveLength(2);
    clock.advance(1);
    await until(() => server?.requests.length === 3);

    await worker.stop();
    expect(errors.map((error) => error.details?.timedOut)).toEqual([true, true]);
  });

  it('repeats a submit that timed out', async () => {
    const shared = createShared();
    const instance = createInstance(shared);
    const taskId = await createTask(instance);
    let submits = 0;
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/worker/submit') && ++submits === 1) {
        // The first submit never gets a response; only the timeout ends it.
        return new Promise<Response>((_, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
      }
      return instance.fetch(input, init);
    }) as typeof globalThis.fetch;
    const errors: CaptaskError[] = [];
    const worker = createWorker({
      url: 'http://captask.test',
      key: WORKER_KEY,
      types: [turnstileTask.type],
      solve: async () => ({ token: 'solved' }),
      fetch,
      timers: shared.clock,
      requestTimeoutMs: 5_000,
      retryDelayMs: 1_000,
      idleDelayMs: 60_000,
      onError: (error) => errors.push(error),
    });

    await until(() => submits === 1);
    await settle(20);
    shared.clock.advance(5_000);
    await until(() => errors.length === 1);
    shared.clock.advance(1_000);
    await until(() => submits === 2);
    for (let attempt = 0; attempt < 500; attempt++) {
      if ((await shared.store.get(taskId))?.state === 'ready') break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await worker.stop();

    expect((await shared.store.get(taskId))?.state).toBe('ready');
    expect(submits).toBe(2);
    expect(errors.map((error) => error.code)).toEqual(['CLIENT_NETWORK_ERROR']);
  });
});
