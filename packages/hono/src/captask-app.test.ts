import type { AddressInfo } from 'node:net';
import { createSandboxSolver, createTaskServer, type TaskServer } from '@captask/core/server';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE_PNG_BASE64 } from '../test/sample-image';
import { createCaptaskApp } from './captask-app';

const KEY = 'hono-test-key';
const servers: TaskServer[] = [];

function taskServer(): TaskServer {
  const server = createTaskServer({
    clientKeys: [KEY],
    solvers: createSandboxSolver({ latencyMs: 0 }),
  });
  servers.push(server);
  return server;
}

function post(path: string, body: unknown): Request {
  return new Request(`http://127.0.0.1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('createCaptaskApp', () => {
  it('serves the protocol under a prefix', async () => {
    const app = new Hono();
    app.get('/health', (c) => c.text('ok'));
    app.route('/captcha', createCaptaskApp(taskServer()));

    const balance = await app.request(post('/captcha/getBalance', { clientKey: KEY }));
    const created = await app.request(
      post('/captcha/createTask', {
        clientKey: KEY,
        task: { type: 'ImageToTextTask', body: SAMPLE_PNG_BASE64 },
      }),
    );
    const { taskId } = (await created.json()) as { taskId: number };

    expect(balance.status).toBe(200);
    expect(await balance.json()).toMatchObject({ errorId: 0, balance: expect.any(Number) });
    expect(taskId).toBeGreaterThan(0);
    expect(await (await app.request('/health')).text()).toBe('ok');
  });

  it('answers a wrong key with protocol JSON', async () => {
    const app = new Hono().route('/captcha', createCaptaskApp(taskServer()));

    const response = await app.request(post('/captcha/getBalance', { clientKey: 'wrong' }));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_KEY_DOES_NOT_EXIST',
    });
  });

  it('creates a task server from options', async () => {
    const app = createCaptaskApp({
      clientKeys: [KEY],
      solvers: createSandboxSolver({ latencyMs: 0 }),
    });

    const response = await app.request(post('/getBalance', { clientKey: KEY }));

    expect(await response.json()).toMatchObject({ errorId: 0 });
  });

  it('reads a body that a middleware already parsed', async () => {
    const app = new Hono();
    let seenByMiddleware: unknown;
    app.use('/captcha/*', async (c, next) => {
      seenByMiddleware = await c.req.json();
      await next();
    });
    app.route('/captcha', createCaptaskApp(taskServer()));

    const response = await app.request(post('/captcha/getBalance', { clientKey: KEY }));

    expect(seenByMiddleware).toEqual({ clientKey: KEY });
    expect(await response.json()).toMatchObject({ errorId: 0 });
  });

  it('hands solves to waitUntil on Workers', async () => {
    const server = taskServer();
    const app = new Hono().route('/captcha', createCaptaskApp(server));
    const waited: Promise<unknown>[] = [];
    const executionContext = {
      waitUntil: (promise: Promise<unknown>) => waited.push(promise),
      passThroughOnException: () => {},
      props: {},
    };
    const task = { type: 'ImageToTextTask', body: SAMPLE_PNG_BASE64 };

    const created = await app.request(
      post('/captcha/createTask', { clientKey: KEY, task }),
      undefined,
      undefined,
      executionContext,
    );
    const { taskId } = (await created.json()) as { taskId: number };
    expect(waited).toHaveLength(1);
    await waited[0];

    const result = await app.request(post('/captcha/getTaskResult', { clientKey: KEY, taskId }));
    expect(await result.json()).toMatchObject({ errorId: 0, status: 'ready' });
  });

  it('keeps asking for waitUntil on Workers', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    try {
      const app = new Hono().route('/captcha', createCaptaskApp(taskServer()));
      const waited: Promise<unknown>[] = [];
      const executionContext = {
        waitUntil: (promise: Promise<unknown>) => waited.push(promise),
        passThroughOnException: () => {},
        props: {},
      };
      const balance = post('/captcha/getBalance', { clientKey: KEY });
      await app.request(balance);
      expect(waited).toHaveLength(0);

      const task = { type: 'ImageToTextTask', body: SAMPLE_PNG_BASE64 };
      const created = post('/captcha/createTask', { clientKey: KEY, task });
      await app.request(created, undefined, undefined, executionContext);
      expect(waited).toHaveLength(1);
      await waited[0];
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('serves over HTTP with @hono/node-server', async () => {
    const app = new Hono().route('/captcha', createCaptaskApp(taskServer()));
    const { server, url } = await new Promise<{ server: ReturnType<typeof serve>; url: string }>(
      (resolve) => {
        const started = serve(
          { fetch: app.fetch, port: 0, hostname: '127.0.0.1' },
          (info: AddressInfo) => resolve({ server: started, url: `http://127.0.0.1:${info.port}` }),
        );
      },
    );

    try {
      const response = await fetch(`${url}/captcha/getBalance`, {
        method: 'POST',
        body: JSON.stringify({ clientKey: KEY }),
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ errorId: 0 });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
