import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClientOptions, type ClientTimers, createClient } from '@captask/core/client';
import { CaptaskError } from '@captask/core/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** Writes one reply, or deliberately none, to a request. */
type Reply = (res: ServerResponse, req: IncomingMessage) => void;

interface Received {
  method: string;
  body: string;
}

const KEY = 'fault-test-key-0123456789';
const TASK = { type: 'ImageToTextTask', body: 'aGVsbG8=' } as const;
const SOLUTION = { text: 'hello', confidence: 0.9, unknownExtra: { kept: true } };

const sendJson =
  (body: unknown, status = 200, headers: Record<string, string> = {}): Reply =>
  (res) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  };

const sendText =
  (
    status: number,
    text: string,
    type = 'text/plain',
    headers: Record<string, string> = {},
  ): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': type, ...headers }).end(text);
  };

const PROCESSING = sendJson({ errorId: 0, status: 'processing' });
const READY = sendJson({ errorId: 0, status: 'ready', solution: SOLUTION });
const CREATED = sendJson({ errorId: 0, taskId: 3_000_000_001 });

/** Faults that a poll can meet, each followed by success on the same task id. */
const POLL_FAULTS: Record<string, Reply> = {
  'HTTP 500': sendText(500, 'Internal Server Error'),
  'HTTP 502 with HTML': sendText(502, '<html><body>Bad Gateway</body></html>', 'text/html'),
  'HTTP 503 without body': sendText(503, ''),
  'HTTP 429 without Retry-After': sendText(429, 'slow down'),
  'HTTP 429 with Retry-After seconds': sendText(429, '', 'text/plain', { 'retry-after': '1' }),
  'HTTP 429 with Retry-After date': (res, req) => {
    const date = new Date(Date.now() + 3_000).toUTCString();
    sendText(429, '', 'text/plain', { 'retry-after': date })(res, req);
  },
  'HTML body': sendText(200, '<!doctype html><title>maintenance</title>', 'text/html'),
  'empty body': sendText(200, '', 'application/json'),
  'truncated JSON': sendJson('{"errorId":0,"status":"rea'),
  ERROR_TOO_MUCH_REQUESTS: sendJson({ errorId: 1, errorCode: 'ERROR_TOO_MUCH_REQUESTS' }),
  'connection destroyed mid-response': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
    res.write('{"errorId":0,"status":"re');
    setTimeout(() => res.socket?.destroy(), 5);
  },
  'connection reset before any response': (_res, req) => req.socket.destroy(),
  'headers without the rest of the body': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
    res.write('{"errorId":0,');
  },
  'no response at all': () => {},
};

/** Faults that only a request timeout ends. */
const SILENT_FAULTS = new Set(['no response at all', 'headers without the rest of the body']);

/** Faults after which createTask must not be sent again, because a task may exist. */
const CREATE_FAULTS: Record<string, Reply> = {
  'HTTP 500': sendText(500, 'Internal Server Error'),
  'HTML body': sendText(200, '<html>oops</html>', 'text/html'),
  'truncated JSON': sendJson('{"errorId":0,"taskId":12'),
  'connection destroyed mid-response': POLL_FAULTS['connection destroyed mid-response'] as Reply,
  'headers without the rest of the body': POLL_FAULTS[
    'headers without the rest of the body'
  ] as Reply,
  'no response at all': () => {},
};

let server: Server;
let baseUrl: string;
let script: Record<string, Reply[]> = {};
let received: Received[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      received.push({ method, body: Buffer.concat(chunks).toString('utf8') });
      const queue = script[method] ?? [];
      const index = received.filter((entry) => entry.method === method).length - 1;
      const reply = queue[Math.min(index, queue.length - 1)];
      if (reply === undefined) sendText(404, 'no such method')(res, req);
      else reply(res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/captcha`;
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(async () => {
  server.closeAllConnections();
  // Late rejections surface within a few event-loop turns.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(unhandled).toEqual([]);
  script = {};
  received = [];
});

/**
 * Real timers that record every requested delay and track live handles. Waits from 0.9 s to
 * 3.5 s, which only Retry-After produces here, fire after 5 ms so the test stays fast.
 */
function trackedTimers() {
  const live = new Set<unknown>();
  const requested: number[] = [];
  const timers: ClientTimers = {
    setTimeout(callback, ms) {
      requested.push(ms);
      const actual = ms >= 900 && ms < 3_500 ? 5 : ms;
      const handle = setTimeout(() => {
        live.delete(handle);
        callback();
      }, actual);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      clearTimeout(handle as NodeJS.Timeout);
    },
  };
  return { timers, live, requested };
}

function setup(options: Partial<ClientOptions> = {}) {
  const tracked = trackedTimers();
  const client = createClient({
    clientKey: KEY,
    baseUrl,
    timers: tracked.timers,
    requestTimeoutMs: 5_000,
    retry: { baseDelayMs: 1, maxDelayMs: 5, noSlotDelayMs: 1 },
    ...options,
  });
  return { client, ...tracked };
}

const FAST = { schedule: { firstDelayMs: 1, intervalMs: 2, deadlineMs: 20_000 } };
const count = (method: string): number =>
  received.filter((entry) => entry.method === method).length;

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CaptaskError);
  return error as CaptaskError;
}

describe('client against a fault-injecting server', () => {
  it.each(Object.entries(POLL_FAULTS))('recovers from %s while polling', async (name, fault) => {
    script = { createTask: [CREATED], getTaskResult: [PROCESSING, fault, READY] };
    const requestTimeoutMs = SILENT_FAULTS.has(name) ? 500 : 5_000;
    const { client, live } = setup({ requestTimeoutMs });

    const result = await client.solve(TASK, FAST);
    expect(result.solution).toEqual(SOLUTION);
    expect(result.taskId).toBe(3_000_000_001);
    expect(result.polls).toBe(3);
    expect(count('createTask')).toBe(1);
    expect(count('getTaskResult')).toBe(3);
    expect(live.size).toBe(0);
  });

  it('honours Retry-After seconds', async () => {
    const fault = POLL_FAULTS['HTTP 429 with Retry-After seconds'] as Reply;
    script = { createTask: [CREATED], getTaskResult: [fault, READY] };
    const { client, requested } = setup();

    await client.solve(TASK, FAST);
    expect(requested).toContain(1_000);
  });

  it('honours a Retry-After date', async () => {
    const fault = POLL_FAULTS['HTTP 429 with Retry-After date'] as Reply;
    script = { createTask: [CREATED], getTaskResult: [fault, READY] };
    const { client, requested } = setup();

    await client.solve(TASK, FAST);
    // The date has whole seconds, so the wait is between 2 and 3 s minus the request's latency.
    expect(requested.some((ms) => ms >= 1_000 && ms <= 3_000)).toBe(true);
  });

  it.each(Object.entries(CREATE_FAULTS))(
    'never repeats createTask after %s',
    async (name, fault) => {
      script = { createTask: [fault, CREATED], getTaskResult: [READY] };
      const requestTimeoutMs = SILENT_FAULTS.has(name) ? 500 : 5_000;
      const { client, live } = setup({ requestTimeoutMs });

      const error = await rejection(client.solve(TASK, FAST));
      expect(error.code).toMatch(/^CLIENT_(NETWORK_ERROR|HTTP_ERROR|INVALID_RESPONSE)$/);
      expect(error.details?.taskMayExist).toBe(true);
      expect(count('createTask')).toBe(1);
      expect(count('getTaskResult')).toBe(0);
      expect(live.size).toBe(0);
    },
  );

  it('repeats createTask after ERROR_NO_SLOT_AVAILABLE', async () => {
    const noSlot = sendJson({ errorId: 1, errorCode: 'ERROR_NO_SLOT_AVAILABLE', taskId: 0 });
    script = { createTask: [noSlot, noSlot, CREATED], getTaskResult: [READY] };
    const { client } = setup();

    const result = await client.solve(TASK, FAST);
    expect(result.solution).toEqual(SOLUTION);
    expect(count('createTask')).toBe(3);
  });

  it('keeps a task id above 2^53 exact', async () => {
    script = {
      createTask: [sendJson('{"errorId":0,"taskId":9007199254740993123}')],
      getTaskResult: [PROCESSING, READY],
    };
    const { client } = setup();

    const result = await client.solve(TASK, FAST);
    expect(result.taskId).toBe('9007199254740993123');
    const polls = received.filter((entry) => entry.method === 'getTaskResult');
    expect(polls).toHaveLength(2);
    for (const poll of polls) {
      expect(poll.body).toBe(`{"clientKey":"${KEY}","taskId":9007199254740993123}`);
    }
  });

  it('sends a UUID task id back as a string', async () => {
    const uuid = '5f0b6c8e-2a4b-4c39-9d7e-3f1a2b3c4d5e';
    script = { createTask: [sendJson({ errorId: 0, taskId: uuid })], getTaskResult: [READY] };
    const { client } = setup();

    const result = await client.solve(TASK, FAST);
    expect(result.taskId).toBe(uuid);
    expect(JSON.parse(received[1]?.body ?? '')).toEqual({ clientKey: KEY, taskId: uuid });
  });

  it('takes a solution from a ready createTask reply', async () => {
    const uuid = 'a1b2c3d4-0000-4000-8000-000000000001';
    script = {
      createTask: [sendJson({ errorId: 0, taskId: uuid, status: 'ready', solution: SOLUTION })],
    };
    const { client } = setup();

    const result = await client.solve(TASK, FAST);
    expect(result.solution).toEqual(SOLUTION);
    expect(result.polls).toBe(0);
    expect(count('getTaskResult')).toBe(0);
  });

  it('stops at the budget when every poll fails', async () => {
    script = { createTask: [CREATED], getTaskResult: [sendText(500, 'down')] };
    const { client, live } = setup({ maxPolls: 5 });

    const error = await rejection(client.solve(TASK, FAST));
    expect(error.code).toBe('CLIENT_POLL_BUDGET_EXHAUSTED');
    expect(error.details?.polls).toBe(5);
    expect(count('getTaskResult')).toBe(5);
    expect(live.size).toBe(0);
  });

  it('times out at the deadline', async () => {
    script = { createTask: [CREATED], getTaskResult: [PROCESSING] };
    const { client, live } = setup();

    const schedule = { firstDelayMs: 1, intervalMs: 20, deadlineMs: 150 };
    const error = await rejection(client.solve(TASK, { schedule }));
    expect(error.code).toBe('CLIENT_TIMEOUT');
    expect(error.taskId).toBe(3_000_000_001);
    // A poll may still be in flight when the deadline passes; the client then cuts it off.
    expect(['processing', 'request cut off by the deadline']).toContain(error.details?.lastStatus);
    const polls = error.details?.polls as number;
    expect(polls).toBeGreaterThan(1);
    expect(count('getTaskResult')).toBeLessThanOrEqual(polls);
    expect(count('getTaskResult')).toBeGreaterThanOrEqual(polls - 1);
    expect(live.size).toBe(0);
  });

  it('fails on a task error without polling again', async () => {
    const unsolvable = sendJson({ errorId: 1, errorCode: 'ERROR_CAPTCHA_UNSOLVABLE' });
    script = { createTask: [CREATED], getTaskResult: [PROCESSING, unsolvable, READY] };
    const { client } = setup();

    const error = await rejection(client.solve(TASK, FAST));
    expect(error.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(error.taskId).toBe(3_000_000_001);
    expect(count('getTaskResult')).toBe(2);
  });

  it('aborts a poll the server never answers', async () => {
    script = { createTask: [CREATED], getTaskResult: [() => {}] };
    const { client, live } = setup();
    const controller = new AbortController();

    const promise = client.solve(TASK, { ...FAST, signal: controller.signal });
    while (count('getTaskResult') === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort(new Error('caller stopped'));

    const error = await rejection(promise);
    expect(error.code).toBe('CLIENT_ABORTED');
    expect((error.cause as Error).message).toBe('caller stopped');
    expect(count('getTaskResult')).toBe(1);
    expect(live.size).toBe(0);
  });

  it('aborts a poll whose body never completes', async () => {
    const stall = POLL_FAULTS['headers without the rest of the body'] as Reply;
    script = { createTask: [CREATED], getTaskResult: [stall] };
    const { client, live } = setup();
    const controller = new AbortController();

    const promise = client.solve(TASK, { ...FAST, signal: controller.signal });
    while (count('getTaskResult') === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort('stop reading');

    const error = await rejection(promise);
    expect(error.code).toBe('CLIENT_ABORTED');
    expect(error.cause).toBe('stop reading');
    expect(count('getTaskResult')).toBe(1);
    expect(live.size).toBe(0);
  });
});
