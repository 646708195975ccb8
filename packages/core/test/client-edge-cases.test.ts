import { createServer } from 'node:net';
import { type CaptaskError, createClient } from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeTime, createScriptedFetch, json } from './client-fakes';
import { methodOf, type RawServer, sendJson, startRawServer } from './raw-http';

const KEY = 'edge-case-key-0123456789';
const TASK = { type: 'ImageToTextTask', body: btoa('x'.repeat(300)) } as const;

let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: CaptaskError) => error,
  );
}

/** Returns a port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as { port: number };
  await new Promise((resolve) => listener.close(resolve));
  return port;
}

describe('createTask failures', () => {
  it('refused connection creates no task', async () => {
    const client = createClient({
      clientKey: KEY,
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
    });

    const error = await rejection(client.createTask(TASK));
    expect(error.code).toBe('CLIENT_NETWORK_ERROR');
    expect(error.details?.taskMayExist).toBe(false);
    expect(error.description).toMatch(/no task was created/);
  });

  it('dropped connection may have created a task', async () => {
    server = await startRawServer((_res, _request, req) => req.socket.destroy());
    const client = createClient({ clientKey: KEY, baseUrl: server.url });

    const error = await rejection(client.createTask(TASK));
    expect(error.code).toBe('CLIENT_NETWORK_ERROR');
    expect(error.details?.taskMayExist).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});

describe('createTask task ids', () => {
  /** Starts a server whose createTask reply carries `literal` as the raw JSON taskId. */
  async function clientFor(literal: string) {
    server = await startRawServer((res, request) => {
      if (methodOf(request) === 'createTask') {
        return sendJson(res, `{"errorId":0,"taskId":${literal}}`);
      }
      sendJson(res, { errorId: 0, status: 'ready', solution: { text: 'ok' } });
    });
    return createClient({ clientKey: KEY, baseUrl: server.url });
  }

  it.each([
    '1.5',
    '-1',
    '0',
    '"0"',
    '""',
    '" "',
    '-9007199254740993',
    '1e400',
    'null',
    'true',
    '{}',
  ])('rejects %s', async (literal) => {
    const client = await clientFor(literal);

    const error = await rejection(client.createTask(TASK));
    expect(error.code).toBe('CLIENT_INVALID_RESPONSE');
    expect(error.retryable).toBe(false);
  });

  it.each([
    ['9007199254740993', '9007199254740993', '9007199254740993'],
    ['12345678901234567890123', '12345678901234567890123', '12345678901234567890123'],
    ['1e3', 1000, '1000'],
    ['42', 42, '42'],
    ['"5f0b6c8e-2a4b-4c39"', '5f0b6c8e-2a4b-4c39', '"5f0b6c8e-2a4b-4c39"'],
  ])('accepts %s', async (literal, expected, polled) => {
    const client = await clientFor(literal);

    const result = await client.solve(TASK, { schedule: { firstDelayMs: 1 } });
    expect(result.taskId).toBe(expected);
    const poll = server?.requests.find((request) => methodOf(request) === 'getTaskResult');
    expect(poll?.body).toContain(`"taskId":${polled}`);
  });
});

describe('getTaskResult status', () => {
  it.each(['ready', 'READY', ' Ready ', 'ready\n'])('reads %j as ready', async (status) => {
    server = await startRawServer((res) => {
      sendJson(res, { errorId: 0, status, solution: { text: 'ok' } });
    });
    const client = createClient({ clientKey: KEY, baseUrl: server.url });

    const result = await client.getTaskResult(8);
    expect(result.status).toBe('ready');
  });

  it.each(['READY', ' ready '])(
    'takes a solution from a createTask reply with %j',
    async (status) => {
      server = await startRawServer((res) =>
        sendJson(res, { errorId: 0, taskId: 'a1b2', status, solution: { text: 'ok' } }),
      );
      const client = createClient({ clientKey: KEY, baseUrl: server.url });

      const created = await client.createTask(TASK);
      expect(created.ready).toEqual({ text: 'ok' });
    },
  );
});

describe('abort between requests', () => {
  it('names createTask during an ERROR_NO_SLOT_AVAILABLE wait', async () => {
    const time = createFakeTime();
    const { fetch } = createScriptedFetch(
      { createTask: [() => json({ errorId: 1, errorCode: 'ERROR_NO_SLOT_AVAILABLE' })] },
      time,
    );
    const client = createClient({ clientKey: KEY, fetch, clock: time, timers: time });
    const controller = new AbortController();

    const promise = rejection(client.createTask(TASK, { signal: controller.signal }));
    // The repeat waits noSlotDelayMs, 2 000 ms by default; the request timeout is another timer.
    while (!time.requestedDelays.includes(2_000)) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort('stop');

    const error = await promise;
    expect(error.code).toBe('CLIENT_ABORTED');
    expect(error.method).toBe('createTask');
  });
});
