import {
  type CaptaskError,
  createClient,
  createTaskServer,
  createWorkerClient,
  relaySolver,
} from '@captask/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methodOf, type RawServer, sendJson, startRawServer } from './raw-http';

const KEY = 'redirect-test-key-0123456789';
const TASK = { type: 'ImageToTextTask', body: btoa('x'.repeat(300)) } as const;
const TURNSTILE = {
  type: 'TurnstileTask',
  websiteURL: 'https://shop.example.test/',
  websiteKey: '0x4AAAAAAAsandbox',
} as const;
const REDIRECTS = [301, 302, 303, 307, 308];

/** A protocol server on another origin that would accept anything sent to it. */
let elsewhere: RawServer;
let redirecting: RawServer;
/** Replies that the redirecting server sends itself, by method, instead of redirecting. */
let answered: Record<string, unknown> = {};
let redirectStatus = 307;

beforeEach(async () => {
  answered = {};
  elsewhere = await startRawServer((res, request) => {
    const method = methodOf(request);
    if (method === 'createTask') return sendJson(res, { errorId: 0, taskId: 4242 });
    if (method === 'getBalance') return sendJson(res, { errorId: 0, balance: 999 });
    if (method === 'claim') return sendJson(res, { errorId: 0, tasks: [] });
    sendJson(res, { errorId: 0, status: 'ready', solution: { text: 'from elsewhere' } });
  });
  redirecting = await startRawServer((res, request) => {
    const method = methodOf(request);
    if (method in answered) return sendJson(res, answered[method]);
    res.writeHead(redirectStatus, { location: `${elsewhere.url}${request.path}` }).end();
  });
});

afterEach(async () => {
  await redirecting.close();
  await elsewhere.close();
});

async function rejection(promise: Promise<unknown>): Promise<CaptaskError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: CaptaskError) => error,
  );
}

describe('redirects', () => {
  it.each(REDIRECTS)('client rejects HTTP %i', async (status) => {
    redirectStatus = status;
    const client = createClient({ clientKey: KEY, baseUrl: redirecting.url });

    const balance = await rejection(client.getBalance());
    const created = await rejection(client.createTask(TASK));

    for (const error of [balance, created]) {
      expect(error.code).toBe('CLIENT_HTTP_ERROR');
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(false);
      expect(error.description).toMatch(/does not follow redirects/);
    }
    expect(redirecting.requests).toHaveLength(2);
    expect(elsewhere.requests).toEqual([]);
  });

  it('redirected poll ends solve', async () => {
    answered = { createTask: { errorId: 0, taskId: 77 } };
    const client = createClient({ clientKey: KEY, baseUrl: redirecting.url });

    const error = await rejection(
      client.solve(TASK, { schedule: { firstDelayMs: 1, intervalMs: 1, deadlineMs: 5_000 } }),
    );
    expect(error.code).toBe('CLIENT_HTTP_ERROR');
    expect(error.method).toBe('getTaskResult');
    expect(error.taskId).toBe(77);
    expect(redirecting.requests.map(methodOf)).toEqual(['createTask', 'getTaskResult']);
    expect(elsewhere.requests).toEqual([]);
  });

  it.each(REDIRECTS)('worker client rejects HTTP %i', async (status) => {
    redirectStatus = status;
    const worker = createWorkerClient({ url: redirecting.url, key: KEY });

    const error = await rejection(worker.claim({ types: ['TurnstileTask'], max: 1, leaseMs: 1 }));
    expect(error.code).toBe('CLIENT_HTTP_ERROR');
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(elsewhere.requests).toEqual([]);
  });

  it('relay fails task on upstream redirect', async () => {
    const server = createTaskServer({
      clientKeys: ['team-key-0001'],
      solvers: relaySolver({ baseUrl: redirecting.url, clientKey: KEY }),
    });
    const call = async (method: string, body: Record<string, unknown>) => {
      const response = await server(
        new Request(`http://gateway.test/${method}`, {
          method: 'POST',
          body: JSON.stringify({ clientKey: 'team-key-0001', ...body }),
        }),
      );
      return (await response.json()) as Record<string, unknown>;
    };

    const { taskId } = await call('createTask', { task: TURNSTILE });
    let result = await call('getTaskResult', { taskId });
    for (let attempt = 0; attempt < 200 && result.status === 'processing'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      result = await call('getTaskResult', { taskId });
    }
    await server.close();

    expect(result.errorCode).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(result.solution).toBeUndefined();
    expect(redirecting.requests.map(methodOf)).toEqual(['createTask']);
    expect(elsewhere.requests).toEqual([]);
  });
});
