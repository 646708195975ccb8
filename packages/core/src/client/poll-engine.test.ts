import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFakeTime, type FakeTime } from '../../test/client-fakes';
import { CaptaskError } from '../protocol/errors';
import { type PollEngineOptions, type PollReply, pollUntilReady } from './poll-engine';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import {
  type PollSchedule,
  plannedPollTimes,
  resolvePlan,
  type ScheduleOverride,
} from './schedule';

type Outcome =
  | 'processing'
  | 'ready'
  | 'network'
  | 'http502'
  | 'tooMany'
  | { retryAfterMs: number }
  | 'unsolvable'
  | 'noSlot';

const BASE: PollSchedule = { firstDelayMs: 1000, intervalMs: 500, deadlineMs: 20_000 };

function replyFor(outcome: Outcome, signal: AbortSignal | undefined): Promise<PollReply<string>> {
  if (signal?.aborted) return Promise.reject(new CaptaskError('CLIENT_ABORTED'));
  if (outcome === 'processing') return Promise.resolve({ status: 'processing' });
  if (outcome === 'ready') return Promise.resolve({ status: 'ready', value: 'solved' });
  if (outcome === 'network') return Promise.reject(new CaptaskError('CLIENT_NETWORK_ERROR'));
  if (outcome === 'http502') {
    return Promise.reject(new CaptaskError('CLIENT_HTTP_ERROR', { status: 502, retryable: true }));
  }
  if (outcome === 'tooMany') return Promise.reject(new CaptaskError('ERROR_TOO_MUCH_REQUESTS'));
  if (outcome === 'unsolvable') return Promise.reject(new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE'));
  if (outcome === 'noSlot') return Promise.reject(new CaptaskError('ERROR_NO_SLOT_AVAILABLE'));
  const details = { retryAfterMs: outcome.retryAfterMs };
  const error = new CaptaskError('CLIENT_HTTP_ERROR', { status: 429, retryable: true, details });
  return Promise.reject(error);
}

/** Runs the engine over scripted outcomes (the last one repeats) and records poll times. */
function runEngine(
  time: FakeTime,
  outcomes: Outcome[],
  options: { schedule?: ScheduleOverride; maxPolls?: number; signal?: AbortSignal } = {},
  extra: Partial<PollEngineOptions<string>> = {},
) {
  const createdAt = time.now();
  const pollTimes: number[] = [];
  const plan = resolvePlan(BASE, [options.schedule], options.maxPolls ?? 120);
  const promise = pollUntilReady<string>({
    taskId: 42,
    plan,
    createdAt,
    clock: time,
    timers: time,
    requestTimeoutMs: 5_000,
    retry: DEFAULT_RETRY_POLICY,
    signal: options.signal,
    poll: ({ signal }) => {
      const outcome = outcomes[Math.min(pollTimes.length, outcomes.length - 1)] as Outcome;
      pollTimes.push(time.now() - createdAt);
      return replyFor(outcome, signal);
    },
    ...extra,
  });
  return { promise: time.run(promise), pollTimes, plan };
}

describe('pollUntilReady', () => {
  it('polls at the exact times of a data schedule', async () => {
    const time = createFakeTime();
    const schedule = { growth: 0.5, maxIntervalMs: 4_000 };
    const outcomes: Outcome[] = ['processing', 'processing', 'processing', 'processing', 'ready'];
    const { promise, pollTimes } = runEngine(time, outcomes, { schedule });

    const result = await promise;
    expect(pollTimes).toEqual([1000, 1500, 2250, 3375, 5063]);
    expect(result.polls).toBe(5);
    expect(result.value).toBe('solved');
    expect(time.pending).toBe(0);
  });

  it('polls at the times a schedule function returns', async () => {
    const time = createFakeTime();
    const schedule = (attempt: number) => (attempt === 0 ? 100 : 100 * attempt);
    const { promise, pollTimes } = runEngine(
      time,
      ['processing', 'processing', 'processing', 'ready'],
      {
        schedule,
      },
    );

    await promise;
    expect(pollTimes).toEqual([100, 200, 400, 700]);
  });

  it('matches plannedPollTimes and stops at the deadline', async () => {
    const time = createFakeTime();
    const { promise, pollTimes, plan } = runEngine(time, ['processing'], {
      schedule: { growth: 0.2, maxIntervalMs: 3_000 },
    });

    const error = await promise.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CaptaskError);
    expect((error as CaptaskError).code).toBe('CLIENT_TIMEOUT');
    expect(pollTimes).toEqual(plannedPollTimes(plan));
    expect(pollTimes.every((at) => at < BASE.deadlineMs)).toBe(true);
    expect(time.now() - 1_000_000).toBe(BASE.deadlineMs);
    expect(time.pending).toBe(0);
  });

  it('names task, elapsed time, polls and last status on timeout', async () => {
    const time = createFakeTime();
    const { promise, pollTimes } = runEngine(time, ['processing']);

    const error = (await promise.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('CLIENT_TIMEOUT');
    expect(error.taskId).toBe(42);
    expect(error.details).toMatchObject({ polls: pollTimes.length, lastStatus: 'processing' });
    expect(error.details?.elapsedMs).toBe(20_000);
    expect(error.message).toContain('42');
    expect(error.message).toContain(`${pollTimes.length} getTaskResult requests`);
    expect(error.message).toContain('last status: processing');
  });

  it('stops at the poll budget', async () => {
    const time = createFakeTime();
    const { promise, pollTimes } = runEngine(time, ['processing'], { maxPolls: 3 });

    const error = (await promise.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('CLIENT_POLL_BUDGET_EXHAUSTED');
    expect(pollTimes).toHaveLength(3);
    expect(time.pending).toBe(0);
  });

  it('repeats failed polls with doubling backoff', async () => {
    const time = createFakeTime();
    const outcomes: Outcome[] = ['network', 'network', 'http502', 'ready'];
    const schedule = { intervalMs: 100 };
    const { promise, pollTimes } = runEngine(time, outcomes, { schedule });

    const result = await promise;
    expect(pollTimes).toEqual([1000, 1500, 2500, 4500]);
    expect(result.polls).toBe(4);
  });

  it('honours a Retry-After delay', async () => {
    const time = createFakeTime();
    const { promise, pollTimes } = runEngine(time, [{ retryAfterMs: 7_000 }, 'ready']);

    await promise;
    expect(pollTimes).toEqual([1000, 8000]);
  });

  it('caps a Retry-After delay at the deadline', async () => {
    const time = createFakeTime();
    const { promise, pollTimes } = runEngine(time, [{ retryAfterMs: 60_000 }, 'ready']);

    const error = (await promise.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('CLIENT_TIMEOUT');
    expect(pollTimes).toEqual([1000]);
    expect(time.now() - 1_000_000).toBe(20_000);
    expect(error.details?.lastStatus).toBe('failed with CLIENT_HTTP_ERROR');
  });

  it('caps a huge Retry-After at 60 s', async () => {
    const time = createFakeTime();
    const schedule = { deadlineMs: 600_000 };
    const outcomes: Outcome[] = [{ retryAfterMs: 1e12 }, 'ready'];
    const { promise, pollTimes } = runEngine(time, outcomes, { schedule });

    await promise;
    expect(pollTimes).toEqual([1000, 61_000]);
  });

  it('widens the interval after ERROR_TOO_MUCH_REQUESTS', async () => {
    const time = createFakeTime();
    const outcomes: Outcome[] = ['processing', 'tooMany', 'processing', 'processing', 'ready'];
    const { promise, pollTimes } = runEngine(time, outcomes);

    await promise;
    // 500 ms interval; the slow-down doubles it to 1000 ms for every later poll.
    expect(pollTimes).toEqual([1000, 1500, 2500, 3500, 4500]);
  });

  it('throws a task error without polling again', async () => {
    const time = createFakeTime();
    const { promise, pollTimes } = runEngine(time, ['processing', 'unsolvable', 'ready']);

    const error = (await promise.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(pollTimes).toHaveLength(2);
    expect(time.pending).toBe(0);
  });

  it('fails after three ERROR_NO_SLOT_AVAILABLE repeats', async () => {
    const time = createFakeTime();
    const { promise, pollTimes } = runEngine(time, ['noSlot']);

    const error = (await promise.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('ERROR_NO_SLOT_AVAILABLE');
    expect(pollTimes).toHaveLength(4);
    expect(time.pending).toBe(0);
  });

  it('counts ERROR_NO_SLOT_AVAILABLE per task, not in a row', async () => {
    const time = createFakeTime();
    const outcomes: Outcome[] = ['noSlot', 'processing', 'noSlot', 'processing', 'noSlot'];
    const { promise, pollTimes } = runEngine(time, [...outcomes, 'processing', 'noSlot', 'ready']);

    const error = (await promise.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('ERROR_NO_SLOT_AVAILABLE');
    expect(pollTimes).toHaveLength(7);
  });

  it('succeeds after three ERROR_NO_SLOT_AVAILABLE repeats', async () => {
    const time = createFakeTime();
    const outcomes: Outcome[] = ['noSlot', 'noSlot', 'noSlot', 'ready'];
    const { promise, pollTimes } = runEngine(time, outcomes);

    expect((await promise).value).toBe('solved');
    expect(pollTimes).toHaveLength(4);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const time = createFakeTime();
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    const { promise, pollTimes } = runEngine(time, ['ready'], { signal: controller.signal });

    const error = (await promise.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('CLIENT_ABORTED');
    expect(error.cause).toBe(reason);
    expect(pollTimes).toHaveLength(0);
    expect(time.pending).toBe(0);
  });

  it('stops between polls on abort', async () => {
    const time = createFakeTime();
    const controller = new AbortController();
    const { promise, pollTimes } = runEngine(
      time,
      ['processing'],
      { signal: controller.signal },
      { onProgress: (event) => event.attempt === 2 && controller.abort('stop') },
    );

    const error = (await promise.catch((caught: unknown) => caught)) as CaptaskError;
    expect(error.code).toBe('CLIENT_ABORTED');
    expect(error.cause).toBe('stop');
    expect(error.method).toBe('getTaskResult');
    expect(error.taskId).toBe(42);
    expect(pollTimes).toHaveLength(2);
    expect(time.pending).toBe(0);
  });

  it('reports every poll through onProgress', async () => {
    const time = createFakeTime();
    const events: unknown[] = [];
    const { promise } = runEngine(
      time,
      ['processing', 'network', 'ready'],
      {},
      { onProgress: (event) => events.push({ ...event, error: event.error?.code }) },
    );

    await promise;
    expect(events).toEqual([
      { taskId: 42, attempt: 1, elapsedMs: 1000, status: 'processing', serverStatus: undefined },
      {
        taskId: 42,
        attempt: 2,
        elapsedMs: 1500,
        status: 'retrying',
        error: 'CLIENT_NETWORK_ERROR',
      },
      { taskId: 42, attempt: 3, elapsedMs: 2000, status: 'ready', error: undefined },
    ]);
  });

  it('turns a request cut by the deadline into a timeout', async () => {
    const time = createFakeTime();
    const createdAt = time.now();
    const timeouts: number[] = [];
    const plan = resolvePlan(BASE, [{ firstDelayMs: 18_000 }], 120);
    const promise = pollUntilReady<string>({
      taskId: 'uuid-1',
      plan,
      createdAt,
      clock: time,
      timers: time,
      requestTimeoutMs: 5_000,
      retry: DEFAULT_RETRY_POLICY,
      poll: ({ timeoutMs }) => {
        timeouts.push(timeoutMs);
        return new Promise((_, reject) => {
          time.setTimeout(() => {
            const details = { timedOut: true };
            reject(new CaptaskError('CLIENT_NETWORK_ERROR', { details }));
          }, timeoutMs);
        });
      },
    });

    const error = (await time.run(promise).catch((caught: unknown) => caught)) as CaptaskError;
    expect(timeouts).toEqual([2_000]);
    expect(error.code).toBe('CLIENT_TIMEOUT');
    expect(error.details?.lastStatus).toBe('request cut off by the deadline');
    expect(time.now() - createdAt).toBe(20_000);
  });

  it('never exceeds the budget or the deadline', async () => {
    const outcome = fc.oneof(
      fc.constantFrom<Outcome>('processing', 'network', 'http502', 'tooMany'),
      fc.integer({ min: 0, max: 30_000 }).map((retryAfterMs): Outcome => ({ retryAfterMs })),
    );
    const scenario = fc.record({
      firstDelayMs: fc.integer({ min: 0, max: 5_000 }),
      intervalMs: fc.integer({ min: 0, max: 3_000 }),
      growth: fc.double({ min: 0, max: 1, noNaN: true }),
      deadlineMs: fc.integer({ min: 1, max: 600_000 }),
      maxPolls: fc.integer({ min: 1, max: 120 }),
      outcomes: fc.array(outcome, { minLength: 1, maxLength: 30 }),
    });

    await fc.assert(
      fc.asyncProperty(scenario, async ({ maxPolls, outcomes, ...schedule }) => {
        const time = createFakeTime();
        const run = runEngine(time, outcomes, { schedule, maxPolls });
        const error = (await run.promise.catch((caught: unknown) => caught)) as CaptaskError;

        expect(['CLIENT_TIMEOUT', 'CLIENT_POLL_BUDGET_EXHAUSTED']).toContain(error.code);
        expect(run.pollTimes.length).toBeLessThanOrEqual(maxPolls);
        expect(run.pollTimes.every((at) => at < schedule.deadlineMs)).toBe(true);
        expect(error.details?.polls).toBe(run.pollTimes.length);
        expect(time.pending).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
