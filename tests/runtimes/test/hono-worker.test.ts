import { fileURLToPath } from 'node:url';
import { createClient } from '@captask/core/client';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PNG_BASE64 } from '../fixtures/sample-image';
import { bundleScript, removeBundle } from '../src/bundle';
import { startWorker } from '../src/workerd';

const KEY = 'worker-test-key';

describe('@captask/hono in workerd', () => {
  let bundle = '';
  let worker: Miniflare;

  beforeAll(async () => {
    bundle = await bundleScript({
      entry: fileURLToPath(new URL('../fixtures/hono-worker.ts', import.meta.url)),
    });
    worker = await startWorker({ scriptPath: bundle, bindings: { CAPTASK_CLIENT_KEYS: KEY } });
  });

  afterAll(async () => {
    await worker?.dispose();
    await removeBundle(bundle);
  });

  it('solves a task across requests', async () => {
    const client = createClient({
      clientKey: KEY,
      baseUrl: 'http://127.0.0.1/captcha',
      fetch: (input, init) => worker.dispatchFetch(String(input), init as never) as never,
      schedule: { firstDelayMs: 20, intervalMs: 20 },
    });

    const { solution, taskId } = await client.solve({
      type: 'ImageToTextTask',
      body: SAMPLE_PNG_BASE64,
    });

    expect(taskId).toEqual(expect.any(Number));
    expect(solution.text).toEqual(expect.any(String));
  });

  it('solves in process on /demo', async () => {
    const response = await worker.dispatchFetch('http://127.0.0.1/demo');
    const body = (await response.json()) as { taskId: unknown; text: unknown };

    expect(response.status).toBe(200);
    expect(body.taskId).toEqual(expect.any(Number));
    expect(body.text).toEqual(expect.any(String));
  });

  it('rejects an unknown key with protocol JSON', async () => {
    const response = await worker.dispatchFetch('http://127.0.0.1/captcha/getBalance', {
      method: 'POST',
      body: JSON.stringify({ clientKey: 'unknown' }),
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({
      errorId: 1,
      errorCode: 'ERROR_KEY_DOES_NOT_EXIST',
    });
  });
});
