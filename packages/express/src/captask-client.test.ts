import { createClient } from '@captask/core/client';
import { createSandboxSolver } from '@captask/core/server';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type RunningApp } from '../test/listen';
import { type CaptaskMiddleware, captask } from './captask';
import { captaskClient } from './captask-client';

const KEY = 'express-client-key';

let running: RunningApp | undefined;
let middleware: CaptaskMiddleware | undefined;

afterEach(async () => {
  await running?.close();
  await middleware?.server.close();
  running = undefined;
  middleware = undefined;
});

describe('captaskClient', () => {
  it('solves through the same app', async () => {
    const app = express();
    middleware = captask({ clientKeys: [KEY], solvers: createSandboxSolver({ latencyMs: 5 }) });
    app.use('/captcha', middleware);
    running = await listen(app);

    // Express accepts routes after listen, which is when the server's own URL is known.
    const clientOptions = {
      clientKey: KEY,
      baseUrl: `${running.url}/captcha`,
      schedule: { firstDelayMs: 5, intervalMs: 5 },
    };
    app.get('/demo/solve', captaskClient(clientOptions), async (_req, res) => {
      const client = res.locals.captask;
      if (client === undefined) throw new Error('captaskClient did not set res.locals.captask.');

      const result = await client.solve({
        type: 'RecaptchaV2Task',
        websiteURL: 'https://example.test/login',
        websiteKey: 'site-key-for-tests',
      });
      res.json({ token: result.solution.gRecaptchaResponse, polls: result.polls });
    });

    const response = await fetch(`${running.url}/demo/solve`);
    const body = (await response.json()) as { token: unknown; polls: number };

    expect(response.status).toBe(200);
    expect(typeof body.token).toBe('string');
    expect(body.polls).toBeGreaterThan(0);
  });

  it('shares a client passed in', async () => {
    const client = createClient({ clientKey: KEY, baseUrl: 'http://127.0.0.1:9' });
    const seen: unknown[] = [];
    const app = express();
    app.get('/a', captaskClient(client), (_req, res) => {
      seen.push(res.locals.captask);
      res.end();
    });
    running = await listen(app);

    await fetch(`${running.url}/a`);
    await fetch(`${running.url}/a`);

    expect(seen).toEqual([client, client]);
  });
});
