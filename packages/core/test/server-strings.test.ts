import { inspect } from 'node:util';
import {
  type CaptaskError,
  createClient,
  createTaskServer,
  createWorkerClient,
  type Logger,
  type ProgressEvent,
  relaySolver,
} from '@captask/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeTime, createScriptedFetch, json } from './client-fakes';
import { methodOf, type RawServer, sendJson, startRawServer } from './raw-http';

// Upper-case letters, digits and underscores, so that it also has the shape of an error code.
const KEY = 'UPSTREAM_SECRET_KEY_0123456789';
const TASK = { type: 'ImageToTextTask', body: btoa('x'.repeat(300)) } as const;
const TURNSTILE = {
  type: 'TurnstileTask',
  websiteURL: 'https://shop.example.test/',
  websiteKey: '0x4AAAAAAAsandbox',
} as const;
const SCHEDULE = { firstDelayMs: 10, intervalMs: 10, deadlineMs: 300 };

/** Renders an error every way a program might print or ship it. */
function renderings(error: unknown): string {
  return [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  ].join('\n');
}

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: CaptaskError) => error,
  );
}

describe('server strings in client errors', () => {
  it('redacts and cuts a status', async () => {
    const time = createFakeTime();
    const status = `weird-${KEY}-${'x'.repeat(10_000)}`;
    const { fetch } = createScriptedFetch(
      {
        createTask: [() => json({ errorId: 0, taskId: 7 })],
        getTaskResult: [() => json({ errorId: 0, status })],
      },
      time,
    );
    const client = createClient({ clientKey: KEY, fetch, clock: time, timers: time });
    const events: ProgressEvent[] = [];

    const onProgress = (event: ProgressEvent): void => {
      events.push(event);
    };
    const error = await time.run(rejection(client.solve(TASK, { schedule: SCHEDULE, onProgress })));
    expect(error.code).toBe('CLIENT_TIMEOUT');
    expect(renderings(error)).not.toContain(KEY);
    const lastStatus = String(error.details?.lastStatus);
    expect(lastStatus.startsWith('weird-[redacted]')).toBe(true);
    expect(lastStatus.length).toBeLessThanOrEqual(32);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.serverStatus?.length).toBeLessThanOrEqual(32);
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it('never quotes the errorId', async () => {
    const { fetch } = createScriptedFetch({ getBalance: [() => json({ errorId: KEY })] });
    const client = createClient({ clientKey: KEY, fetch });

    const error = await rejection(client.getBalance());
    expect(error.code).toBe('UNKNOWN_ERROR_CODE');
    expect(renderings(error)).not.toContain(KEY);
  });

  it('cuts a long errorDescription', async () => {
    const errorDescription = 'y'.repeat(100_000);
    const { fetch } = createScriptedFetch({
      getBalance: [() => json({ errorId: 1, errorCode: 'ERROR_ZERO_BALANCE', errorDescription })],
    });
    const client = createClient({ clientKey: KEY, fetch });

    const error = await rejection(client.getBalance());
    expect(error.code).toBe('ERROR_ZERO_BALANCE');
    expect(error.description.length).toBeLessThanOrEqual(1_000);
  });

  it.each([
    ['errorCode', { errorId: 1, errorCode: KEY }],
    ['errorCode suffix', { errorId: 1, errorCode: `ERROR_${KEY}` }],
    ['errorDescription', { errorId: 1, errorCode: 'ERROR_X', errorDescription: `bad ${KEY}` }],
    ['errorId', { errorId: KEY }],
  ])('worker client redacts the key in %s', async (_, reply) => {
    const fetch = (async () => json(reply)) as typeof globalThis.fetch;
    const worker = createWorkerClient({ url: 'http://captask.test', key: KEY, fetch });

    const error = await rejection(worker.claim({ types: ['TurnstileTask'], max: 1, leaseMs: 1 }));
    expect(renderings(error)).not.toContain(KEY);
    expect(error.serverErrorCode ?? '').not.toContain(KEY);
  });
});

describe('relay with an upstream that echoes its key', () => {
  let upstream: RawServer | undefined;

  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  /** Replies to getTaskResult (or to every method) with the key in one field. */
  const ECHOES: Record<string, { createTask?: unknown; getTaskResult?: unknown }> = {
    errorCode: { createTask: { errorId: 1, errorCode: KEY } },
    'errorCode suffix': { getTaskResult: { errorId: 1, errorCode: `ERROR_${KEY}` } },
    errorDescription: {
      getTaskResult: { errorId: 1, errorCode: 'ERROR_PROXY_BANNED', errorDescription: KEY },
    },
    status: { getTaskResult: { errorId: 0, status: `weird-${KEY}` } },
    errorId: { getTaskResult: { errorId: KEY } },
  };

  it.each(Object.keys(ECHOES))('keeps the key out of downstream %s', async (field) => {
    const echo = ECHOES[field] ?? {};
    upstream = await startRawServer((res, request) => {
      const method = methodOf(request);
      if (method === 'createTask')
        return sendJson(res, echo.createTask ?? { errorId: 0, taskId: 5 });
      sendJson(res, echo.getTaskResult ?? { errorId: 0, status: 'processing' });
    });
    const lines: string[] = [];
    const log = (context: Record<string, unknown>, message: string): void => {
      lines.push(`${message} ${inspect(context, { depth: Number.POSITIVE_INFINITY })}`);
    };
    const logger: Logger = { debug: log, info: log, warn: log, error: log };
    const server = createTaskServer({
      clientKeys: ['team-key-0001'],
      logger,
      solvers: relaySolver({ baseUrl: upstream.url, clientKey: KEY, schedule: SCHEDULE, logger }),
    });
    const call = async (method: string, body: Record<string, unknown>): Promise<string> => {
      const request = new Request(`http://gateway.test/${method}`, {
        method: 'POST',
        body: JSON.stringify({ clientKey: 'team-key-0001', ...body }),
      });
      return (await server(request)).text();
    };

    const { taskId } = JSON.parse(await call('createTask', { task: TURNSTILE }));
    let answer = await call('getTaskResult', { taskId });
    for (let attempt = 0; attempt < 300 && answer.includes('"processing"'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      answer = await call('getTaskResult', { taskId });
    }
    await server.close();

    expect(JSON.parse(answer).errorId).toBe(1);
    expect(answer).not.toContain(KEY);
    expect(lines.join('\n')).not.toContain(KEY);
  });
});
