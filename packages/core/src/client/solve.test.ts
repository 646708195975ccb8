import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createFakeTime,
  createScriptedFetch,
  hang,
  json,
  PROCESSING,
  type Responder,
} from '../../test/client-fakes';
import { CaptaskError } from '../protocol/errors';
import type { TurnstileTokenSolution } from '../protocol/task-types';
import { type ClientOptions, createClient, type ProgressEvent } from './index';

const KEY = 'client-key-0123456789';
const TURNSTILE = {
  type: 'TurnstileTask',
  websiteURL: 'https://example.test/',
  websiteKey: '0x4AAAAAAA',
} as const;
const FAST = { firstDelayMs: 1_000, intervalMs: 1_000, deadlineMs: 30_000 };

function setup(script: Record<string, Responder[]>, options: Partial<ClientOptions> = {}) {
  const time = createFakeTime();
  const scripted = createScriptedFetch(script, time);
  const client = createClient({
    clientKey: KEY,
    baseUrl: 'http://127.0.0.1:9',
    fetch: scripted.fetch,
    clock: time,
    timers: time,
    ...options,
  });
  return { time, client, ...scripted };
}

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CaptaskError);
  return error as CaptaskError;
}

const created =
  (taskId: unknown = 1001): Responder =>
  () =>
    json({ errorId: 0, taskId });
const ready =
  (solution: unknown): Responder =>
  () =>
    json({ errorId: 0, status: 'ready', solution, cost: 0.002 });

describe('solve', () => {
  it('polls on the default schedule and returns the solution untouched', async () => {
    const solution = { token: 'tok', userAgent: 'UA', unknownField: [1, 2] };
    const { time, client, requests } = setup({
      createTask: [created()],
      getTaskResult: [() => json(PROCESSING), () => json(PROCESSING), ready(solution)],
    });

    const result = await time.run(client.solve(TURNSTILE));
    expectTypeOf(result.solution).toEqualTypeOf<TurnstileTokenSolution>();
    expect(result.solution).toEqual(solution);
    expect(result.taskId).toBe(1001);
    expect(result.polls).toBe(3);
    expect(result.raw).toMatchObject({ cost: 0.002 });

    const createdAt = result.timings.createdAt;
    const pollTimes = requests
      .filter((r) => r.method === 'getTaskResult')
      .map((r) => r.at - createdAt);
    // Turnstile takes 5 to 20 s: the first poll goes out at 6 s, then every 850 ms.
    expect(pollTimes).toEqual([6_000, 6_850, 7_700]);
    expect(result.timings.elapsedMs).toBe(7_700);
    expect(result.timings.readyAt - result.timings.startedAt).toBe(result.timings.totalMs);
    expect(time.pending).toBe(0);
  });

  it('returns a createTask reply that is already ready without polling', async () => {
    const { time, client, count } = setup({
      createTask: [
        () => json({ errorId: 0, taskId: 'uuid-1', status: 'ready', solution: { token: 'x' } }),
      ],
    });

    const result = await time.run(client.solve(TURNSTILE));
    expect(result.polls).toBe(0);
    expect(result.taskId).toBe('uuid-1');
    expect(result.solution).toEqual({ token: 'x' });
    expect(count('getTaskResult')).toBe(0);
  });

  it('returns a pending task with callbackUrl', async () => {
    const { time, client, count, requests } = setup({ createTask: [created(77)] });

    const result = await time.run(
      client.solve(TURNSTILE, { callbackUrl: 'https://example.test/cb' }),
    );
    expect(result).toMatchObject({ taskId: 77, pending: true });
    expect(count('getTaskResult')).toBe(0);
    expect(JSON.parse(requests[0]?.body ?? '').callbackUrl).toBe('https://example.test/cb');
  });

  it('polls with callbackUrl when wait is true', async () => {
    const { time, client } = setup({
      createTask: [created(78)],
      getTaskResult: [ready({ token: 'y' })],
    });

    const options = { callbackUrl: 'https://example.test/cb', wait: true } as const;
    const result = await time.run(client.solve(TURNSTILE, options));
    expect(result.solution).toEqual({ token: 'y' });
  });

  it('keeps big and string task ids exact', async () => {
    const big = '{"errorId":0,"taskId":9007199254740993123}';
    const { time, client, requests } = setup({
      createTask: [() => json(big)],
      getTaskResult: [ready({ token: 'z' })],
    });

    const result = await time.run(client.solve(TURNSTILE));
    expect(result.taskId).toBe('9007199254740993123');
    expect(requests[1]?.body).toContain('"taskId":9007199254740993123}');
  });

  describe('createTask failures', () => {
    const ambiguous: Record<string, Responder> = {
      'network error': () => Promise.reject(new TypeError('fetch failed')),
      'HTTP 500 with HTML': () => new Response('<html>oops</html>', { status: 500 }),
      'truncated JSON': () => json('{"errorId":0,"taskId":12'),
      'empty body': () => new Response(''),
      'request timeout': hang,
    };

    it.each(Object.entries(ambiguous))('never repeats after %s', async (_name, responder) => {
      const { time, client, count } = setup({ createTask: [responder, created()] });

      const error = await rejection(time.run(client.solve(TURNSTILE)));
      expect(count('createTask')).toBe(1);
      expect(count('getTaskResult')).toBe(0);
      expect(error.retryable).toBe(false);
      expect(error.details?.taskMayExist).toBe(true);
      expect(error.message).toContain('may have created');
      expect(time.pending).toBe(0);
    });

    it('surfaces a protocol error with zero polls', async () => {
      const { time, client, count } = setup({
        createTask: [() => json({ errorId: 1, errorCode: 'ERROR_ZERO_BALANCE', taskId: 0 })],
      });

      const error = await rejection(time.run(client.solve(TURNSTILE)));
      expect(error.code).toBe('ERROR_ZERO_BALANCE');
      expect(count('createTask')).toBe(1);
      expect(count('getTaskResult')).toBe(0);
    });

    it('repeats after ERROR_NO_SLOT_AVAILABLE with backoff', async () => {
      const noSlot: Responder = () => json({ errorId: 1, errorCode: 'ERROR_NO_SLOT_AVAILABLE' });
      const { time, client, requests } = setup(
        { createTask: [noSlot, noSlot, created()], getTaskResult: [ready({ token: 'a' })] },
        { retry: { noSlotDelayMs: 1_000 } },
      );

      const result = await time.run(client.solve(TURNSTILE));
      expect(result.solution).toEqual({ token: 'a' });
      const createTimes = requests.filter((r) => r.method === 'createTask').map((r) => r.at);
      expect(createTimes.map((at) => at - (createTimes[0] as number))).toEqual([0, 1_000, 3_000]);
    });

    it('gives up on ERROR_NO_SLOT_AVAILABLE after the configured repeats', async () => {
      const noSlot: Responder = () => json({ errorId: 1, errorCode: 'ERROR_NO_SLOT_AVAILABLE' });
      const { time, client, count } = setup(
        { createTask: [noSlot] },
        { retry: { noSlotRetries: 2 } },
      );

      const error = await rejection(time.run(client.solve(TURNSTILE)));
      expect(error.code).toBe('ERROR_NO_SLOT_AVAILABLE');
      expect(count('createTask')).toBe(3);
      expect(count('getTaskResult')).toBe(0);
    });
  });

  describe('abort', () => {
    it('sends nothing when the signal is already aborted', async () => {
      const { time, client, requests } = setup({ createTask: [created()] });
      const controller = new AbortController();
      controller.abort('early');

      const error = await rejection(
        time.run(client.solve(TURNSTILE, { signal: controller.signal })),
      );
      expect(error.code).toBe('CLIENT_ABORTED');
      expect(error.cause).toBe('early');
      expect(requests).toHaveLength(0);
    });

    it('aborts an in-flight createTask', async () => {
      const controller = new AbortController();
      const reason = new Error('user left');
      const { time, client, requests } = setup({
        createTask: [
          () => {
            controller.abort(reason);
            return new Promise<Response>(() => {});
          },
        ],
      });

      const error = await rejection(
        time.run(client.solve(TURNSTILE, { signal: controller.signal })),
      );
      expect(error.code).toBe('CLIENT_ABORTED');
      expect(error.cause).toBe(reason);
      expect(requests[0]?.signal?.aborted).toBe(true);
      expect(requests).toHaveLength(1);
      expect(time.pending).toBe(0);
    });

    it('stops between polls', async () => {
      const controller = new AbortController();
      const { time, client, count } = setup({
        createTask: [created()],
        getTaskResult: [() => json(PROCESSING)],
      });
      const onProgress = (event: ProgressEvent): void => {
        if (event.attempt === 2) controller.abort('enough');
      };

      const options = { signal: controller.signal, onProgress, schedule: FAST };
      const error = await rejection(time.run(client.solve(TURNSTILE, options)));
      expect(error.code).toBe('CLIENT_ABORTED');
      expect(error.taskId).toBe(1001);
      expect(count('getTaskResult')).toBe(2);
      expect(time.pending).toBe(0);
    });

    it('aborts an in-flight poll', async () => {
      const controller = new AbortController();
      const { time, client, requests } = setup({
        createTask: [created()],
        getTaskResult: [
          () => json(PROCESSING),
          () => {
            controller.abort('mid-poll');
            return new Promise<Response>(() => {});
          },
        ],
      });

      const options = { signal: controller.signal, schedule: FAST };
      const error = await rejection(time.run(client.solve(TURNSTILE, options)));
      expect(error.code).toBe('CLIENT_ABORTED');
      expect(error.cause).toBe('mid-poll');
      expect(requests).toHaveLength(3);
      expect(requests[2]?.signal?.aborted).toBe(true);
      expect(time.pending).toBe(0);
    });
  });

  it('repeats a poll that timed out and aborts its request', async () => {
    const { time, client, requests } = setup(
      { createTask: [created()], getTaskResult: [hang, ready({ token: 'late' })] },
      { requestTimeoutMs: 3_000 },
    );

    const result = await time.run(client.solve(TURNSTILE, { schedule: FAST }));
    expect(result.solution).toEqual({ token: 'late' });
    expect(result.polls).toBe(2);
    expect(requests[1]?.signal?.aborted).toBe(true);
    expect(requests[2]?.at).toBe((requests[1]?.at ?? 0) + 3_000 + 1_000);
  });

  it('times out at the deadline without aborting the caller', async () => {
    const controller = new AbortController();
    const { time, client, count } = setup({
      createTask: [created()],
      getTaskResult: [() => json({ errorId: 0, status: 'idle' })],
    });

    const options = { signal: controller.signal, schedule: { ...FAST, deadlineMs: 10_500 } };
    const error = await rejection(time.run(client.solve(TURNSTILE, options)));
    expect(error.code).toBe('CLIENT_TIMEOUT');
    expect(error.details).toEqual({ elapsedMs: 10_500, polls: 10, lastStatus: 'idle' });
    expect(count('getTaskResult')).toBe(10);
    expect(controller.signal.aborted).toBe(false);
    expect(time.pending).toBe(0);
  });

  it('caps a per-call budget at the client budget', async () => {
    const { time, client, count } = setup(
      { createTask: [created()], getTaskResult: [() => json(PROCESSING)] },
      { maxPolls: 4 },
    );

    const error = await rejection(
      time.run(client.solve(TURNSTILE, { maxPolls: 100, schedule: FAST })),
    );
    expect(error.code).toBe('CLIENT_POLL_BUDGET_EXHAUSTED');
    expect(count('getTaskResult')).toBe(4);
    await expect(client.solve(TURNSTILE, { maxPolls: 121 })).rejects.toThrow(RangeError);
  });

  it('checks the schedule before sending createTask', async () => {
    const { client, requests } = setup({ createTask: [created()] });

    await expect(client.solve(TURNSTILE, { schedule: { deadlineMs: -1 } })).rejects.toThrow(
      RangeError,
    );
    expect(requests).toHaveLength(0);
  });

  it('keeps solving when a hook throws', async () => {
    const warnings: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (_context: Record<string, unknown>, message: string) => warnings.push(message),
      error: () => {},
    };
    const { time, client } = setup(
      { createTask: [created()], getTaskResult: [ready({ token: 'h' })] },
      {
        logger,
        hooks: {
          onRequest: () => {
            throw new Error('hook bug');
          },
        },
      },
    );

    const onProgress = (): void => {
      throw new Error('progress bug');
    };
    const result = await time.run(client.solve(TURNSTILE, { onProgress, schedule: FAST }));
    expect(result.solution).toEqual({ token: 'h' });
    expect(warnings).toContain('client hook onRequest threw');
    expect(warnings).toContain('client hook onProgress threw');
  });
});
