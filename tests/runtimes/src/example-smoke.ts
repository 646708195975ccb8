import { createClient } from '@captask/core/client';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './child-process';
import { packageScript } from './package-script';
import { runtimeEnv } from './runtimes';

/** A 24 x 8 PNG in base64, above the protocol's 100-byte minimum for images. */
const SAMPLE_CAPTCHA_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAAAAADGymC/AAAA00lEQVR4AQHIADf/AAALFiEsN0JNWGNueYSPmqWwu8bR3Ofy/QAdKDM+SVRfanWAi5ahrLfCzdjj7vkEDxoAOkVQW2ZxfIeSnaizvsnU3+r1AAsWISw3AFdibXiDjpmkr7rF0Nvm8fwHEh0oMz5JVAB0f4qVoKu2wczX4u34Aw4ZJC86RVBbZnEAkZynsr3I097p9P8KFSArNkFMV2JteIOOAK65xM/a5fD7BhEcJzI9SFNeaXR/ipWgqwDL1uHs9wINGCMuOURPWmVwe4aRnKeyvcjX5F8BC6RyRgAAAABJRU5ErkJggg==';
const schedule = { firstDelayMs: 20, intervalMs: 20 };

export interface ExampleSmokeOptions {
  /** Test suite name, such as `bun example`. */
  name: string;
  /** Folder of the example app, whose package.json has `start` and `serve` scripts. */
  appDir: string;
  /** Replacement for the first word of the scripts, such as `{ bun: bunBinary() }`. */
  runtime: Record<string, string>;
}

/**
 * Defines the smoke tests that the Deno and Bun example apps share: `start` serves the
 * protocol and the demo route, stops on SIGTERM with exit code 0, and `serve` runs the
 * server configured from the environment. The app imports the built `dist` of the workspace
 * packages, so build them first.
 */
export function defineExampleSmokeTests(options: ExampleSmokeOptions): void {
  describe(options.name, () => {
    it('start serves the protocol and the demo route', async () => {
      const { command, args } = packageScript(options.appDir, 'start', options.runtime);
      const server = await startServerProcess({
        command,
        args,
        cwd: options.appDir,
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
      const { command, args } = packageScript(options.appDir, 'start', options.runtime);
      const server = await startServerProcess({
        command,
        args,
        cwd: options.appDir,
        env: runtimeEnv({ PORT: '0', CAPTASK_CLIENT_KEYS: 'stop-key' }),
      });
      await server.waitForOutput(/Try: curl/);

      const exit = await server.stop();

      expect(exit).toEqual({ code: 0, signal: null });
      expect(server.output()).toContain('Stopped.');
      expect(server.output()).not.toContain('stop-key');
    });

    it('serve script runs the env-configured server', async () => {
      const { command, args } = packageScript(options.appDir, 'serve', options.runtime);
      const server = await startServerProcess({
        command,
        args,
        cwd: options.appDir,
        env: runtimeEnv({ PORT: '0', CAPTASK_CLIENT_KEYS: 'serve-key' }),
      });

      try {
        const client = createClient({ clientKey: 'serve-key', baseUrl: server.url, schedule });
        const { solution } = await client.solve({
          type: 'ImageToTextTask',
          body: SAMPLE_CAPTCHA_PNG,
        });

        expect(solution.text).toEqual(expect.any(String));
      } finally {
        await server.stop();
      }
    });
  });
}
