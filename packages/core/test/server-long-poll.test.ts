import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryStore, createSandboxSolver, createTaskServer } from '@captask/core';
import { createNodeListener } from '@captask/node';
import {
  CapMonsterCloudClientFactory,
  ClientOptions,
  TurnstileRequest,
} from '@zennolab_com/capmonstercloud-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestServer, KEY, type TestServer, TURNSTILE_TASK } from './server-helpers';

const LONG_POLL = { captask: { longPoll: { maxWaitMs: 20_000 } } };

let running: TestServer | undefined;

afterEach(async () => {
  await running?.server.close();
  running = undefined;
});

function setup(...args: Parameters<typeof createTestServer>): TestServer {
  running = createTestServer(...args);
  return running;
}

/** Starts a getTaskResult request and tracks whether its response has arrived. */
function startPoll(
  server: TestServer,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): { done: () => boolean; json: Promise<Record<string, unknown>> } {
  let finished = false;
  const request = new Request('http://captask.test/getTaskResult', {
    method: 'POST',
    body: JSON.stringify(body),
    signal,
  });
  const json = server
    .server(request)
    .then((response) => response.json() as Promise<Record<string, unknown>>)
    .finally(() => {
      finished = true;
    });
  return { done: () => finished, json };
}

/**
 * Starts a getTaskResult request that the server holds, and waits (in real time, because
 * authentication hashes in the crypto thread pool) until the hold's timer is registered, so
 * that later clock moves count from the start of the hold.
 */
async function startHeldPoll(
  server: TestServer,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ done: () => boolean; json: Promise<Record<string, unknown>> }> {
  const before = server.clock.pendingTimers;
  const poll = startPoll(server, body, signal);
  await vi.waitFor(() => expect(server.clock.pendingTimers).toBeGreaterThan(before));
  return poll;
}

describe('long-poll announcement', () => {
  it('is in createTask and getBalance responses', async () => {
    const { call } = setup();
    expect((await call('getBalance', { clientKey: KEY })).json).toMatchObject(LONG_POLL);
    expect((await call('createTask', { clientKey: KEY, task: TURNSTILE_TASK })).json).toMatchObject(
      LONG_POLL,
    );
  });

  it('carries the configured maximum', async () => {
    const { call } = setup({ longPoll: { maxWaitMs: 5_000 } });
    expect((await call('getBalance', { clientKey: KEY })).json.captask).toEqual({
      longPoll: { maxWaitMs: 5_000 },
    });
  });

  it('is absent when long polling is off', async () => {
    const { call } = setup({ longPoll: false });
    expect((await call('getBalance', { clientKey: KEY })).json).not.toHaveProperty('captask');
  });

  it('is absent for a store that cannot signal completions', async () => {
    const { call } = setup({ store: createMemoryStore({ sweepIntervalMs: 0 }) });
    expect((await call('getBalance', { clientKey: KEY })).json).not.toHaveProperty('captask');
  });

  it('is present for such a store when asked for', async () => {
    const { call } = setup({ store: createMemoryStore({ sweepIntervalMs: 0 }), longPoll: true });
    expect((await call('getBalance', { clientKey: KEY })).json).toMatchObject(LONG_POLL);
  });

  it('is not on error responses', async () => {
    const { call } = setup();
    const { json } = await call('createTask', { clientKey: KEY });
    expect(json.errorCode).toBe('ERROR_TASK_ABSENT');
    expect(json).not.toHaveProperty('captask');
  });
});

describe('held getTaskResult', () => {
  it('returns as soon as the task is ready', async () => {
    const server = setup();
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    const poll = await startHeldPoll(server, {
      clientKey: KEY,
      taskId: created.taskId,
      captask: { waitMs: 15_000 },
    });
    await server.advance(999);
    expect(poll.done()).toBe(false);

    await server.advance(1);
    expect(poll.done()).toBe(true);
    expect(await poll.json).toMatchObject({ errorId: 0, status: 'ready' });
    expect((await server.server.store.get(created.taskId as number))?.polls).toBe(1);
  });

  it('returns the error of a task that fails while held', async () => {
    const server = setup();
    const task = { ...TURNSTILE_TASK, websiteKey: 'sandbox-error-ERROR_RECAPTCHA_INVALID_SITEKEY' };
    const { json: created } = await server.call('createTask', { clientKey: KEY, task });
    const poll = await startHeldPoll(server, {
      clientKey: KEY,
      taskId: created.taskId,
      captask: { waitMs: 15_000 },
    });
    await server.advance(1_000);

    expect(await poll.json).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_RECAPTCHA_INVALID_SITEKEY',
    });
  });

  it('returns processing after the requested wait', async () => {
    const server = setup({ solvers: createSandboxSolver({ latencyMs: 60_000 }) });
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    const poll = await startHeldPoll(server, {
      clientKey: KEY,
      taskId: created.taskId,
      captask: { waitMs: 5_000 },
    });
    await server.advance(4_999);
    expect(poll.done()).toBe(false);

    await server.advance(1);
    expect(await poll.json).toEqual({ errorId: 0, status: 'processing' });
  });

  it('holds no longer than maxWaitMs', async () => {
    const server = setup({
      solvers: createSandboxSolver({ latencyMs: 60_000 }),
      longPoll: { maxWaitMs: 2_000 },
    });
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    const poll = await startHeldPoll(server, {
      clientKey: KEY,
      taskId: created.taskId,
      captask: { waitMs: 15_000 },
    });
    await server.advance(2_000);

    expect(poll.done()).toBe(true);
    expect(await poll.json).toEqual({ errorId: 0, status: 'processing' });
  });

  it('does not hold a plain request', async () => {
    const server = setup({ solvers: createSandboxSolver({ latencyMs: 60_000 }) });
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    const poll = startPoll(server, { clientKey: KEY, taskId: created.taskId });
    // Not held: it ends without any clock move (the wait covers the real-time hashing).
    await vi.waitFor(() => expect(poll.done()).toBe(true));
    expect(await poll.json).toEqual({ errorId: 0, status: 'processing' });
  });

  it('does not hold when long polling is off', async () => {
    const server = setup({ solvers: createSandboxSolver({ latencyMs: 60_000 }), longPoll: false });
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    const poll = startPoll(server, {
      clientKey: KEY,
      taskId: created.taskId,
      captask: { waitMs: 5_000 },
    });
    // Not held: it ends without any clock move (the wait covers the real-time hashing).
    await vi.waitFor(() => expect(poll.done()).toBe(true));
  });

  it('ends when the client aborts the request', async () => {
    const server = setup({ solvers: createSandboxSolver({ latencyMs: 60_000 }) });
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    const controller = new AbortController();
    const poll = await startHeldPoll(
      server,
      { clientKey: KEY, taskId: created.taskId, captask: { waitMs: 15_000 } },
      controller.signal,
    );
    expect(poll.done()).toBe(false);
    const timersWhileHeld = server.clock.pendingTimers;

    controller.abort();
    await vi.waitFor(() => expect(poll.done()).toBe(true));
    expect(server.clock.pendingTimers).toBe(timersWhileHeld - 1);
  });

  it('ends when the server closes', async () => {
    const server = setup({ solvers: createSandboxSolver({ latencyMs: 60_000 }) });
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    const poll = await startHeldPoll(server, {
      clientKey: KEY,
      taskId: created.taskId,
      captask: { waitMs: 15_000 },
    });
    await server.server.close();
    await vi.waitFor(() => expect(poll.done()).toBe(true));
  });

  it('counts one poll per held request', async () => {
    const server = setup({ solvers: createSandboxSolver({ latencyMs: 60_000 }) });
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    for (let round = 0; round < 3; round++) {
      const poll = await startHeldPoll(server, {
        clientKey: KEY,
        taskId: created.taskId,
        captask: { waitMs: 1_000 },
      });
      await server.advance(1_000);
      await poll.json;
    }
    expect((await server.server.store.get(created.taskId as number))?.polls).toBe(3);
  });

  it('rejects a held request beyond the poll limit without holding it', async () => {
    const server = setup({
      solvers: createSandboxSolver({ latencyMs: 60_000 }),
      limits: { maxPollsPerTask: 1 },
    });
    const { json: created } = await server.call('createTask', {
      clientKey: KEY,
      task: TURNSTILE_TASK,
    });
    const body = { clientKey: KEY, taskId: created.taskId, captask: { waitMs: 1_000 } };
    const first = await startHeldPoll(server, body);
    await server.advance(1_000);
    await first.json;

    const second = startPoll(server, body);
    await vi.waitFor(() => expect(second.done()).toBe(true));
    expect(await second.json).toMatchObject({ errorCode: 'ERROR_TOO_MUCH_REQUESTS' });
  });
});

describe('official client and the announcement', () => {
  it('ignores the extension field', async () => {
    const taskServer = createTaskServer({
      clientKeys: [{ key: KEY, balance: 25 }],
      solvers: createSandboxSolver({ latencyMs: 50 }),
    });
    const httpServer = createServer(createNodeListener(taskServer));
    httpServer.listen(0, '127.0.0.1');
    await once(httpServer, 'listening');
    const serviceUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    try {
      const raw = await fetch(`${serviceUrl}/getBalance`, {
        method: 'POST',
        body: JSON.stringify({ clientKey: KEY }),
      });
      expect(await raw.json()).toMatchObject(LONG_POLL);

      const official = CapMonsterCloudClientFactory.Create(
        new ClientOptions({ clientKey: KEY, serviceUrl }),
      );
      const balance = await official.getBalance();
      expect(balance.balance).toBe(25);
      const result = await official.Solve(
        new TurnstileRequest({
          websiteURL: TURNSTILE_TASK.websiteURL,
          websiteKey: TURNSTILE_TASK.websiteKey,
        }),
      );
      expect(result.error).toBeUndefined();
      expect(typeof result.solution?.token).toBe('string');
    } finally {
      const closed = new Promise((resolve) => httpServer.close(resolve));
      httpServer.closeAllConnections();
      await closed;
      await taskServer.close();
    }
  });
});
