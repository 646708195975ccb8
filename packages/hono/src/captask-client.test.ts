import type { CaptaskClient } from '@captask/core/client';
import { createSandboxSolver, createTaskServer, type TaskServer } from '@captask/core/server';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { SAMPLE_PNG_BASE64 } from '../test/sample-image';
import { createCaptaskApp } from './captask-app';
import { type CaptaskVariables, captaskClient } from './captask-client';

const KEY = 'hono-client-key';
let server: TaskServer;

beforeEach(() => {
  server = createTaskServer({ clientKeys: [KEY], solvers: createSandboxSolver({ latencyMs: 5 }) });
});

afterEach(async () => {
  await server.close();
});

/** Sends the client's requests to `app` in process, with no socket. */
function inProcessFetch(app: {
  request(input: string | Request, init?: RequestInit): Response | Promise<Response>;
}): typeof fetch {
  return async (input, init) => app.request(input instanceof URL ? input.href : input, init);
}

const fastSchedule = { firstDelayMs: 5, intervalMs: 5 };

describe('captaskClient', () => {
  it('solves a task through the context client', async () => {
    const app = new Hono();
    app.route('/captcha', createCaptaskApp(server));
    app.get(
      '/demo',
      captaskClient({
        clientKey: KEY,
        baseUrl: 'http://127.0.0.1/captcha',
        fetch: inProcessFetch(app),
        schedule: fastSchedule,
      }),
      async (c) => {
        const result = await c
          .get('captask')
          .solve({ type: 'ImageToTextTask', body: SAMPLE_PNG_BASE64 });
        return c.json({ text: result.solution.text, taskId: result.taskId });
      },
    );

    const response = await app.request('/demo');
    const body = (await response.json()) as { text: unknown; taskId: unknown };

    expect(response.status).toBe(200);
    expect(typeof body.text).toBe('string');
    expect(body.taskId).toEqual(expect.any(Number));
  });

  it('builds the client per request from a function', async () => {
    const app = new Hono<{ Variables: CaptaskVariables }>();
    app.route('/captcha', createCaptaskApp(server));
    const seenKeys: string[] = [];
    app.use(
      '/balance',
      captaskClient((c) => {
        const clientKey = c.req.header('x-client-key') ?? '';
        seenKeys.push(clientKey);
        return { clientKey, baseUrl: 'http://127.0.0.1/captcha', fetch: inProcessFetch(app) };
      }),
    );
    app.get('/balance', async (c) => {
      try {
        return c.json({ balance: await c.get('captask').getBalance() });
      } catch (error) {
        return c.json({ error: (error as { code: string }).code });
      }
    });

    const good = await app.request('/balance', { headers: { 'x-client-key': KEY } });
    const bad = await app.request('/balance', { headers: { 'x-client-key': 'unknown' } });

    expect(await good.json()).toEqual({ balance: expect.any(Number) });
    expect(await bad.json()).toEqual({ error: 'ERROR_KEY_DOES_NOT_EXIST' });
    expect(seenKeys).toEqual([KEY, 'unknown']);
  });

  it('shares one client across requests', async () => {
    const app = new Hono();
    const clients = new Set<CaptaskClient>();
    app.get('/', captaskClient({ clientKey: KEY }), (c) => {
      clients.add(c.get('captask'));
      return c.text('ok');
    });

    await app.request('/');
    await app.request('/');

    expect(clients.size).toBe(1);
  });

  it('types the context variable', () => {
    const middleware = captaskClient({ clientKey: KEY });
    new Hono().get('/', middleware, (c) => {
      expectTypeOf(c.get('captask')).toEqualTypeOf<CaptaskClient>();
      return c.text('ok');
    });
  });
});
