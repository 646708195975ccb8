import { fileURLToPath } from 'node:url';
import { createClient } from '@captask/core/client';
import {
  CapMonsterCloudClientFactory,
  ClientOptions,
  ImageToTextRequest,
} from '@zennolab_com/capmonstercloud-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PNG_BASE64 } from '../fixtures/sample-image';
import { bundleScript, removeBundle } from '../src/bundle';
import { startServerProcess } from '../src/child-process';
import { bunBinary, denoBinary, runtimeEnv } from '../src/runtimes';

const KEY = 'serve-test-key';
const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/**
 * Solves an image task against a real server, and a token task unless `tokenTask` is false
 * (the env-configured server uses the sandbox's default latency of 3 s for token tasks), and
 * checks that a wrong key is rejected.
 */
async function exerciseServer(url: string, options = { tokenTask: true }): Promise<void> {
  const schedule = { firstDelayMs: 20, intervalMs: 20 };
  const client = createClient({ clientKey: KEY, baseUrl: url, schedule });

  const image = await client.solve({ type: 'ImageToTextTask', body: SAMPLE_PNG_BASE64 });
  expect(image.solution.text).toEqual(expect.any(String));

  if (options.tokenTask) {
    const token = await client.solve({
      type: 'TurnstileTask',
      websiteURL: 'https://example.test/',
      websiteKey: '0x4AAAAAAAservetest',
    });
    expect(token.solution.token).toEqual(expect.any(String));
  }

  const wrongKey = createClient({ clientKey: 'wrong-key', baseUrl: url }).getBalance();
  await expect(wrongKey).rejects.toMatchObject({ code: 'ERROR_KEY_DOES_NOT_EXIST' });
}

describe('@captask/serve on a real port', () => {
  let mainBundle = '';
  let defaultBundle = '';
  let honoBundle = '';

  beforeAll(async () => {
    mainBundle = await bundleScript({ entry: fixture('serve-main.ts') });
    defaultBundle = await bundleScript({ entry: fixture('serve-default.ts') });
    honoBundle = await bundleScript({ entry: fixture('hono-serve.ts') });
  });

  afterAll(async () => {
    await removeBundle(mainBundle);
    await removeBundle(defaultBundle);
    await removeBundle(honoBundle);
  });

  const runtimes = [
    { name: 'bun', command: bunBinary, args: (file: string) => ['run', file] },
    {
      name: 'deno',
      command: denoBinary,
      args: (file: string) => [
        'run',
        '--no-remote',
        '--cached-only',
        '--allow-net=127.0.0.1',
        '--allow-env=PORT,CAPTASK_CLIENT_KEYS',
        file,
      ],
    },
  ];

  it.each(runtimes)('serve() solves tasks under $name', async (runtime) => {
    const server = await startServerProcess({
      command: runtime.command(),
      args: runtime.args(mainBundle),
      env: runtimeEnv({ PORT: '0', CAPTASK_CLIENT_KEYS: KEY }),
    });

    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.url).not.toMatch(/:0$/);
      await exerciseServer(server.url);
    } finally {
      await server.stop();
    }

    expect(server.output()).toContain('stopped');
    await expect(fetch(`${server.url}/getBalance`, { method: 'POST' })).rejects.toThrow();
  });

  it.each(runtimes)('official client solves under $name', async (runtime) => {
    const server = await startServerProcess({
      command: runtime.command(),
      args: runtime.args(mainBundle),
      env: runtimeEnv({ PORT: '0', CAPTASK_CLIENT_KEYS: KEY }),
    });

    try {
      const client = CapMonsterCloudClientFactory.Create(
        new ClientOptions({ clientKey: KEY, serviceUrl: server.url }),
      );
      const result = await client.Solve(new ImageToTextRequest({ body: SAMPLE_PNG_BASE64 }), {
        firstRequestDelay: 20,
        requestsInterval: 20,
        timeout: 10_000,
      });

      expect(result.error).toBeUndefined();
      expect(result.solution?.text).toEqual(expect.any(String));
    } finally {
      await server.stop();
    }
  });

  it.each(runtimes)('Hono app solves tasks under $name', async (runtime) => {
    const server = await startServerProcess({
      command: runtime.command(),
      args: runtime.args(honoBundle),
      env: runtimeEnv({ CAPTASK_CLIENT_KEYS: KEY }),
    });

    try {
      await exerciseServer(`${server.url}/captcha`);

      const demo = await fetch(`${server.url}/demo`);
      expect(demo.status).toBe(200);
      expect(await demo.json()).toMatchObject({
        taskId: expect.any(Number),
        text: expect.any(String),
      });
    } finally {
      await server.stop();
    }
  });

  it('default export runs under bun run', async () => {
    const server = await startServerProcess({
      command: bunBinary(),
      args: ['run', defaultBundle],
      env: runtimeEnv({ PORT: '0', CAPTASK_CLIENT_KEYS: `other-key,${KEY}` }),
    });

    try {
      await exerciseServer(server.url, { tokenTask: false });
    } finally {
      await server.stop();
    }
  });

  it('default export runs under deno serve', async () => {
    const server = await startServerProcess({
      command: denoBinary(),
      args: [
        'serve',
        '--no-remote',
        '--cached-only',
        '--allow-net=127.0.0.1',
        '--allow-env=CAPTASK_CLIENT_KEYS',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        defaultBundle,
      ],
      env: runtimeEnv({ CAPTASK_CLIENT_KEYS: KEY }),
    });

    try {
      await exerciseServer(server.url, { tokenTask: false });
    } finally {
      await server.stop();
    }
  });
});
