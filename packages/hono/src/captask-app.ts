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

  // Hono throws from `c.executionCtx` where the request has none, and building that Error took
  // about 7% of server CPU in a CPU profile of getTaskResult on Node (hono 4.13, Node 20).
  // Outside Cloudflare Workers the app stops asking after the first request without one.
  // NOTE: a runtime other than Workers that passes an execution context to some requests but
  // not to the first one would lose `waitUntil` for the later ones.
  let askForExecutionContext = true;
  // The handler returns the task server's promise itself, with no async wrapper of its own,
  // unless it still has to ask for the execution context once the response is ready.
  app.all('*', (c) => {
    const raw = c.req.raw;
    const response = raw.bodyUsed ? unreadRequest(c).then(taskServer) : taskServer(raw);
    if (!askForExecutionContext) return response;
    return response.then((ready) => {
      if (askForExecutionContext) {
        const hasContext = keepSolvesAlive(c, taskServer);
        askForExecutionContext = hasContext || isCloudflareWorkers();
      }
      return ready;
    });
  });
  return app;
}

/**
 * Hands the solves in progress to `waitUntil` where the runtime has an execution context
 * (Cloudflare Workers), which otherwise cancels a request's timers once the response is sent.
 * Elsewhere `c.executionCtx` throws, and solves run on their own. Returns whether the request
 * had an execution context.
 */
function keepSolvesAlive(c: Context, taskServer: TaskServer): boolean {
  let executionContext: { waitUntil(promise: Promise<unknown>): void };
  try {
    executionContext = c.executionCtx;
  } catch {
    return false;
  }
  executionContext.waitUntil(taskServer.idle());
  return true;
}

/** Cloudflare Workers set `navigator.userAgent` to `Cloudflare-Workers`. */
function isCloudflareWorkers(): boolean {
  return globalThis.navigator?.userAgent === 'Cloudflare-Workers';
}

/**
 * Rebuilds a request whose body an earlier middleware has read through `c.req.json()` or
 * similar, from the copy Hono keeps.
 */
async function unreadRequest(c: Context): Promise<Request> {
  const raw = c.req.raw;
  return new Request(raw.url, {
    method: raw.method,
    headers: raw.headers,
    body: await c.req.arrayBuffer(),
    signal: raw.signal,
  });
}
