import { createTaskServer, type TaskServer, type TaskServerOptions } from '@captask/core/server';
import type { Context } from 'hono';
import { Hono } from 'hono';

/**
 * Creates a Hono app that serves the captask protocol: every request goes to a task server,
 * which routes by the last path segment, so the app works under any prefix. Pass a
 * `TaskServer` to control its lifetime (`close()`), or its options to let the app create one.
 *
 * @example
 * const app = new Hono();
 * app.route('/captcha', createCaptaskApp({ clientKeys: ['demo-key'], solvers: createSandboxSolver() }));
 * // POST /captcha/createTask, /captcha/getTaskResult, /captcha/getBalance
 */
export function createCaptaskApp(server: TaskServerOptions | TaskServer): Hono {
  const taskServer = typeof server === 'function' ? server : createTaskServer(server);
  const app = new Hono();

  app.all('*', async (c) => {
    const response = await taskServer(await unreadRequest(c));
    keepSolvesAlive(c, taskServer);
    return response;
  });
  return app;
}

/**
 * Hands the solves in progress to `waitUntil` where the runtime has an execution context
 * (Cloudflare Workers), which otherwise cancels a request's timers once the response is sent.
 * Elsewhere `c.executionCtx` throws, and solves run on their own.
 */
function keepSolvesAlive(c: Context, taskServer: TaskServer): void {
  let executionContext: { waitUntil(promise: Promise<unknown>): void };
  try {
    executionContext = c.executionCtx;
  } catch {
    return;
  }
  executionContext.waitUntil(taskServer.idle());
}

/**
 * Returns the request with a readable body. When an earlier middleware has read the body
 * through `c.req.json()` or similar, Hono keeps a copy, and the request is rebuilt from it.
 */
async function unreadRequest(c: Context): Promise<Request> {
  const raw = c.req.raw;
  if (!raw.bodyUsed) return raw;

  return new Request(raw.url, {
    method: raw.method,
    headers: raw.headers,
    body: await c.req.arrayBuffer(),
    signal: raw.signal,
  });
}
