import {
  type AccountSource,
  type ClientOptions,
  createClient,
  createSandboxSolver,
  createTaskServer,
  type TaskServer,
  type TaskServerOptions,
} from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeTime, type FakeTime } from './client-fakes';

const KEY = 'long-poll-client-key';
const TURNSTILE = {
  type: 'TurnstileTask',
  websiteURL: 'https://example.test/',
  websiteKey: '0x4AAAAAAAexample',
} as const;
const SCHEDULE = { firstDelayMs: 1_000, intervalMs: 1_000, maxIntervalMs: 1_000, growth: 0 };

/**
 * Accounts without the static source's SHA-256 step, whose work in the crypto thread pool
 * would race the fake clock that fires the client's timeouts.
 */
const PLAIN_ACCOUNTS: AccountSource = {
  authenticate: async (key) => (key === KEY ? { id: 'plain-1' } : undefined),
  getBalance: async () => 100,
  charge: async () => true,
  refund: async () => false,
};

let server: TaskServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Setup {
  time: FakeTime;
  bodies: Array<Record<string, unknown>>;
  client: ReturnType<typeof createClient>;
}

/** A server and a client on one fake clock; the client's fetch calls the handler directly. */
function setup(options: {
  latencyMs: number;
  server?: Partial<TaskServerOptions>;
  client?: Partial<ClientOptions>;
}): Setup {
  const time = createFakeTime();
  const handler = createTaskServer({
    accounts: PLAIN_ACCOUNTS,
    solvers: createSandboxSolver({ latencyMs: options.latencyMs, clock: time, timers: time }),
    clock: time,
    timers: time,
    ...options.server,
  });
  server = handler;
  const bodies: Array<Record<string, unknown>> = [];
  const client = createClient({
    clientKey: KEY,
    baseUrl: 'http://captask.test',
    clock: time,
    timers: time,
    schedule: SCHEDULE,
    fetch: async (url, init) => {
      bodies.push(JSON.parse(String(init.body)));
      return handler(
        new Request(url, { method: 'POST', body: String(init.body), signal: init.signal }),
      );
    },
    ...options.client,
  });
  return { time, bodies, client };
}

function pollBodies(bodies: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return bodies.filter((body) => 'taskId' in body);
}

describe('client long polling', () => {
  it('solves with one held request that ends when the task is ready', async () => {
    const { time, bodies, client } = setup({ latencyMs: 3_000 });
    const result = await time.run(client.solve(TURNSTILE));

    expect(result.polls).toBe(1);
    expect(result.timings.elapsedMs).toBe(3_000);
    expect(pollBodies(bodies)[0]?.captask).toEqual({ waitMs: 20_000 });
  });

  it('repeats the hold while the task takes longer than the maximum', async () => {
    const { time, client } = setup({ latencyMs: 50_000 });
    const result = await time.run(client.solve(TURNSTILE, { schedule: { deadlineMs: 120_000 } }));

    // Held 20 s, 20 s, then 10 s until ready.
    expect(result.polls).toBe(3);
    expect(result.timings.elapsedMs).toBe(50_000);
  });

  it('asks for a shorter hold near the deadline', async () => {
    const { time, bodies, client } = setup({ latencyMs: 60_000 });
    const solving = client.solve(TURNSTILE, { schedule: { deadlineMs: 45_000 } });
    await expect(time.run(solving)).rejects.toMatchObject({ code: 'CLIENT_TIMEOUT' });

    // Requests at 0 and 20 s hold 20 s; at 40 s, 5 s remain, minus 2 s for the network. The
    // last 2 s leave no room for a hold, so plain polls follow on the 1 s schedule.
    const waits = pollBodies(bodies).map((body) => (body.captask as { waitMs?: number })?.waitMs);
    expect(waits).toEqual([20_000, 20_000, 3_000, undefined, undefined]);
  });

  it('polls on the schedule when the server does not announce it', async () => {
    const { time, bodies, client } = setup({ latencyMs: 3_000, server: { longPoll: false } });
    const result = await time.run(client.solve(TURNSTILE));

    expect(result.polls).toBe(3);
    expect(pollBodies(bodies).every((body) => !('captask' in body))).toBe(true);
  });

  it('polls on the schedule when the client turns it off', async () => {
    const { time, bodies, client } = setup({ latencyMs: 3_000, client: { longPoll: false } });
    const result = await time.run(client.solve(TURNSTILE));

    expect(result.polls).toBe(3);
    expect(pollBodies(bodies).every((body) => !('captask' in body))).toBe(true);
  });

  it('falls back to the schedule when an announcing server does not hold', async () => {
    const time = createFakeTime();
    let polls = 0;
    const client = createClient({
      clientKey: KEY,
      baseUrl: 'http://captask.test',
      clock: time,
      timers: time,
      schedule: { ...SCHEDULE, deadlineMs: 10_000 },
      fetch: async (url) => {
        if (url.endsWith('/createTask')) {
          return Response.json({
            errorId: 0,
            taskId: 7,
            captask: { longPoll: { maxWaitMs: 20_000 } },
          });
        }
        polls++;
        return Response.json({ errorId: 0, status: 'processing' });
      },
    });

    await expect(time.run(client.solve(TURNSTILE))).rejects.toMatchObject({
      code: 'CLIENT_TIMEOUT',
    });
    // The first request goes out at once, the others 1 s apart: at 0, 1, ..., 9 s.
    expect(polls).toBe(10);
  });

  it('reports the announcement from createTask', async () => {
    const { time, client } = setup({ latencyMs: 3_000 });
    const created = await time.run(client.createTask(TURNSTILE));
    expect(created.longPoll).toEqual({ maxWaitMs: 20_000 });
  });

  it('holds a raw getTaskResult with waitMs', async () => {
    const { time, bodies, client } = setup({ latencyMs: 3_000 });
    const { taskId } = await time.run(client.createTask(TURNSTILE));
    const started = time.now();
    const result = await time.run(client.getTaskResult(taskId, { waitMs: 15_000 }));

    expect(result.status).toBe('ready');
    expect(time.now() - started).toBe(3_000);
    expect(pollBodies(bodies)[0]?.captask).toEqual({ waitMs: 15_000 });
  });

  it('waits for a created task with the announced long poll', async () => {
    const { time, bodies, client } = setup({ latencyMs: 3_000 });
    const created = await time.run(client.createTask(TURNSTILE));
    const result = await time.run(
      client.waitForResult(created.taskId, TURNSTILE, { longPoll: created.longPoll }),
    );

    expect(result.polls).toBe(1);
    expect(result.solution).toHaveProperty('token');
    expect(pollBodies(bodies)[0]?.captask).toEqual({ waitMs: 20_000 });
  });

  it('waits for a created task on the schedule without long polling', async () => {
    const { time, bodies, client } = setup({ latencyMs: 3_000 });
    const created = await time.run(client.createTask(TURNSTILE));
    const result = await time.run(client.waitForResult(created.taskId, TURNSTILE));

    expect(result.polls).toBe(3);
    expect(pollBodies(bodies).every((body) => !('captask' in body))).toBe(true);
  });

  it('rejects an invalid waitMs', () => {
    const { client } = setup({ latencyMs: 3_000 });
    expect(() => client.getTaskResult(1, { waitMs: -1 })).toThrow(RangeError);
  });
});
