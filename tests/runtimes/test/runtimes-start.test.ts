import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScript, removeBundle } from '../src/bundle';
import { runScript } from '../src/run-script';
import type { ProcessRuntime } from '../src/runtimes';
import { startWorker } from '../src/workerd';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('bundled TypeScript in each runtime', () => {
  let script = '';
  let workerScript = '';

  beforeAll(async () => {
    script = await bundleScript({ entry: fixture('hello.ts') });
    workerScript = await bundleScript({ entry: fixture('hello-worker.ts') });
  });

  afterAll(async () => {
    await removeBundle(script);
    await removeBundle(workerScript);
  });

  it.each<ProcessRuntime>(['node', 'bun', 'deno'])(
    'runs a fetch handler under %s',
    async (runtime) => {
      const output = JSON.parse(await runScript(runtime, script));

      expect(output).toEqual({ greeting: 'hello captask', path: '/captcha/hello' });
    },
  );

  it('runs a fetch handler under workerd', async () => {
    const worker = await startWorker({ scriptPath: workerScript });
    try {
      const response = await worker.dispatchFetch('http://127.0.0.1/captcha/hello');
      const body = (await response.json()) as { path: string; runtime: string };

      expect(body.path).toBe('/captcha/hello');
      expect(body.runtime).toBe('Cloudflare-Workers');
    } finally {
      await worker.dispose();
    }
  });
});
