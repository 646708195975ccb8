import type { TaskServer } from '@captask/core/server';
import { type CaptaskVariables, captaskClient, createCaptaskApp } from '@captask/hono';
import { Hono } from 'hono';
import { SAMPLE_CAPTCHA_PNG } from './sample-captcha';

/** Hono environment of the example app; Workers bindings arrive in `Bindings`. */
export type AppEnv = { Bindings: Record<string, unknown>; Variables: CaptaskVariables };

/** Options of {@link createExampleApp}. */
export interface ExampleAppOptions {
  /** Task server behind the protocol routes. */
  taskServer: TaskServer;
  /** Client key that the demo route solves with; one of the task server's keys. */
  demoKey: string;
}

/**
 * Creates the example app: `GET /demo/solve` solves a sample captcha with the client that
 * `captaskClient()` puts on the context, and every other path serves the protocol at the root.
 * The demo client sends its requests to this same app in process, with `app.request()`, so it
 * works on Cloudflare Workers too, where a worker cannot fetch its own URL.
 */
export function createExampleApp(options: ExampleAppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const demoClient = captaskClient((c) => ({
    clientKey: options.demoKey,
    baseUrl: new URL(c.req.url).origin,
    fetch: async (input, init) => app.request(input, init, c.env),
  }));

  // Registered before the protocol, which sends a protocol response for every other path.
  app.get('/demo/solve', demoClient, async (c) => {
    try {
      const result = await c.get('captask').solve({
        type: 'ImageToTextTask',
        body: SAMPLE_CAPTCHA_PNG,
      });
      return c.json({ taskId: result.taskId, polls: result.polls, text: result.solution.text });
    } catch (error) {
      console.error('Demo solve failed:', error);
      const code = (error as { code?: string }).code ?? 'DEMO_FAILED';
      return c.json({ error: code, message: String(error) }, 502);
    }
  });

  app.route('/', createCaptaskApp(options.taskServer));
  return app;
}
