import { fileURLToPath } from 'node:url';
import { createClient } from '@captask/core/client';
import { bundleScript, removeBundle } from '@captask/runtime-tests/bundle';
import { startServerProcess } from '@captask/runtime-tests/child-process';
import { packageScript } from '@captask/runtime-tests/package-script';
import { runtimeEnv } from '@captask/runtime-tests/runtimes';
import { startWorker } from '@captask/runtime-tests/workerd';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CAPTCHA_PNG } from '../src/sample-captcha';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const schedule = { firstDelayMs: 20, intervalMs: 20 };

// The Node app imports the built `dist` of the workspace packages, so build them first.
describe('hono example on Node', () => {
  it('start serves the protocol and the demo route', async () => {
    const { command, args } = packageScript(APP_DIR, 'start', { node: process.execPath });
    const server = await startServerProcess({
      command,
      args,
      cwd: APP_DIR,
      env: runtimeEnv({ PORT: '0', SANDBOX_LATENCY_MS: '10', CAPTASK_CLIENT_KEYS: '' }),
    });

    try {
      const [, key = ''] = await server.waitForOutput(/Generated demo client key: (\S+)/);
      expect(key).toMatch(/^demo-[0-9a-f]{24}$/);
      expect(server.url).not.toMatch(/:0$/);

      const client = createClient({ clientKey: key, baseUrl: server.url, schedule });
      const { solution } = await client.solve({
        type: 'ImageToTextTask',
        body: SAMPLE_CAPTCHA_PNG,
      });
      expect(solution.text).toEqual(expect.any(String));

      const demo = await fetch(`${server.url}/demo/solve`);
      expect(demo.status).toBe(200);
      expect(await demo.json()).toMatchObject({
        taskId: expect.any(Number),
        text: expect.any(String),
      });

      const wrongKey = createClient({ clientKey: 'wrong-key', baseUrl: server.url }).getBalance();
      await expect(wrongKey).rejects.toMatchObject({ code: 'ERROR_KEY_DOES_NOT_EXIST' });
    } finally {
      await server.stop();
    }
  });

  it('start stops on SIGTERM with exit code 0', async () => {
    const { command, args } = packageScript(APP_DIR, 'start', { node: process.execPath });
    const server = await startServerProcess({
      command,
      args,
      cwd: APP_DIR,
      env: runtimeEnv({ PORT: '0', CAPTASK_CLIENT_KEYS: 'stop-key' }),
    });
    await server.waitForOutput(/Try: curl/);

    const exit = await server.stop();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('Stopped.');
    expect(server.output()).not.toContain('stop-key');
  });
});

// wrangler dev bundles src/worker.ts and runs it in workerd; the test does the same with
// esbuild and miniflare's API, which makes no outbound requests.
describe('hono example as a worker', () => {
  it('serves the protocol and the demo route', async () => {
    const bundle = await bundleScript({
      entry: fileURLToPath(new URL('../src/worker.ts', import.meta.url)),
    });
    const worker = await startWorker({
      scriptPath: bundle,
      bindings: { CAPTASK_CLIENT_KEYS: 'worker-key', SANDBOX_LATENCY_MS: '10' },
    });

    try {
      const client = createClient({
        clientKey: 'worker-key',
        baseUrl: 'http://127.0.0.1',
        fetch: (input, init) =>
          worker.dispatchFetch(input, init as never) as unknown as Promise<Response>,
        schedule,
      });
      const { solution } = await client.solve({
        type: 'ImageToTextTask',
        body: SAMPLE_CAPTCHA_PNG,
      });
      expect(solution.text).toEqual(expect.any(String));

      const demo = await worker.dispatchFetch('http://127.0.0.1/demo/solve');
      expect(demo.status).toBe(200);
      expect(await demo.json()).toMatchObject({
        taskId: expect.any(Number),
        text: expect.any(String),
      });
    } finally {
      await worker.dispose();
      await removeBundle(bundle);
    }
  });
});
