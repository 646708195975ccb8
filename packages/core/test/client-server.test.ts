import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CaptaskClient, type ClientOptions, createClient } from '@captask/core/client';
import { CaptaskError } from '@captask/core/protocol';
import {
  createSandboxSolver,
  createTaskServer,
  type TaskServer,
  type TaskServerOptions,
} from '@captask/core/server';
import { createNodeListener } from '@captask/node';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { ImageToTextSolution, TurnstileTokenSolution } from '../src/protocol/task-types';
import { IMAGE_BASE64 } from './server-helpers';

const KEY = 'round-trip-key-0123';
const TURNSTILE = {
  type: 'TurnstileTask',
  websiteURL: 'https://example.test/',
  websiteKey: '0x4AAAAAAAexample',
} as const;
const IMAGE = { type: 'ImageToTextTask', body: IMAGE_BASE64 } as const;
const FAST = { schedule: { firstDelayMs: 5, intervalMs: 5, deadlineMs: 10_000 } };

function startServer(overrides: Partial<TaskServerOptions> = {}): TaskServer {
  return createTaskServer({
    clientKeys: [{ key: KEY, balance: 10 }],
    solvers: createSandboxSolver({ latencyMs: 20 }),
    callbacks: { allow: ['example.test'], fetch: async () => new Response(null, { status: 204 }) },
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CaptaskError);
  return error as CaptaskError;
}

/** Round trips shared by both transports. */
function roundTrips(connect: (options?: Partial<ClientOptions>) => CaptaskClient): void {
  it('reads the balance', async () => {
    await expect(connect().getBalance()).resolves.toBe(10);
  });

  it('solves a Turnstile task', async () => {
    const result = await connect().solve(TURNSTILE, FAST);

    expectTypeOf(result.solution).toEqualTypeOf<TurnstileTokenSolution>();
    expect(typeof result.solution.token).toBe('string');
    expect(result.polls).toBeGreaterThanOrEqual(1);
    expect(typeof result.taskId).toBe('number');
    expect(result.taskId as number).toBeGreaterThan(2 ** 31);
    expect(result.timings.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('solves an image task', async () => {
    const result = await connect().solve(IMAGE, FAST);

    expectTypeOf(result.solution).toEqualTypeOf<ImageToTextSolution>();
    expect(typeof result.solution.text).toBe('string');
  });

  it('polls by hand with getTaskResult', async () => {
    const client = connect();
    const { taskId } = await client.createTask(TURNSTILE);

    let result = await client.getTaskResult(taskId);
    for (let polls = 1; result.status === 'processing' && polls < 50; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      result = await client.getTaskResult(taskId);
    }
    expect(result.status).toBe('ready');
  });

  it('reports an incorrect solution', async () => {
    const client = connect();
    const { taskId } = await client.solve(IMAGE, FAST);

    await expect(client.reportIncorrect({ taskId, kind: 'image' })).resolves.toBeUndefined();
  });

  it('rejects an unknown key', async () => {
    const error = await rejection(connect({ clientKey: 'not-a-known-key' }).getBalance());
    expect(error.code).toBe('ERROR_KEY_DOES_NOT_EXIST');
    expect(error.method).toBe('getBalance');
  });

  it('surfaces an invalid task with zero polls', async () => {
    const progress: unknown[] = [];
    const task = { type: 'TurnstileTask', websiteURL: 'https://example.test/' } as never;

    const error = await rejection(
      connect().solve(task, { ...FAST, onProgress: (event) => progress.push(event) }),
    );
    expect(error.method).toBe('createTask');
    expect(error.serverErrorCode).toMatch(/^ERROR_/);
    expect(progress).toHaveLength(0);
  });

  it('surfaces a failed task with its id', async () => {
    const task = { ...TURNSTILE, websiteKey: 'sandbox-error-ERROR_CAPTCHA_UNSOLVABLE' };

    const error = await rejection(connect().solve(task, FAST));
    expect(error.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error.method).toBe('getTaskResult');
    expect(error.taskId).toBeDefined();
  });

  it('returns a pending task with callbackUrl', async () => {
    // The server allows this host by name (see startServer), so it sends the callback without
    // a DNS lookup, to a fetch that never leaves the process.
    const options = { ...FAST, callbackUrl: 'https://example.test/callback' };
    const result = await connect().solve(TURNSTILE, options);

    expect(result.pending).toBe(true);
    expect(typeof result.taskId).toBe('number');
  });
}

describe('client with the server handler as fetch', () => {
  let server: TaskServer;

  beforeAll(() => {
    server = startServer();
  });

  afterAll(async () => {
    await server.close();
  });

  roundTrips((options) =>
    createClient({
      clientKey: KEY,
      baseUrl: 'http://captask.test/any/prefix/',
      fetch: (input, init) => server(new Request(input, init)),
      ...options,
    }),
  );
});

describe('client over a real port', () => {
  let server: TaskServer;
  let http: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = startServer();
    http = createServer(createNodeListener(server));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    const closed = new Promise((resolve) => http.close(resolve));
    http.closeAllConnections();
    await closed;
    await server.close();
  });

  roundTrips((options) => createClient({ clientKey: KEY, baseUrl, ...options }));
});

describe('client against the server poll limit', () => {
  let server: TaskServer;

  afterEach(async () => {
    await server.close();
  });

  it('slows down on ERROR_TOO_MUCH_REQUESTS and stops at its budget', async () => {
    // Held requests would spend the 10 s deadline on three polls, so this server polls plainly.
    server = startServer({
      solvers: createSandboxSolver({ latencyMs: 60_000 }),
      limits: { maxPollsPerTask: 3 },
      longPoll: false,
    });
    const client = createClient({
      clientKey: KEY,
      baseUrl: 'http://captask.test/',
      fetch: (input, init) => server(new Request(input, init)),
      maxPolls: 8,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    const statuses: string[] = [];

    const error = await rejection(
      client.solve(TURNSTILE, {
        schedule: { firstDelayMs: 1, intervalMs: 1, deadlineMs: 10_000 },
        onProgress: (event) => statuses.push(event.error?.code ?? event.status),
      }),
    );
    expect(error.code).toBe('CLIENT_POLL_BUDGET_EXHAUSTED');
    expect(error.details?.polls).toBe(8);
    expect(statuses.slice(0, 3)).toEqual(['processing', 'processing', 'processing']);
    expect(statuses.slice(3)).toEqual(Array(5).fill('ERROR_TOO_MUCH_REQUESTS'));
  });
});
