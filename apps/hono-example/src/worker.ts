// Runs the example app as a Cloudflare Worker (`wrangler dev`). Settings come from bindings:
// set CAPTASK_CLIENT_KEYS as a secret or in `.dev.vars`, never in wrangler.toml.
import { createSandboxSolver, createTaskServer } from '@captask/core/server';
import type { ExecutionContext, Hono } from 'hono';
import { type AppEnv, createExampleApp } from './app';
import { readConfig } from './config';

let app: Hono<AppEnv> | undefined;

// Workers allow random numbers and timers only while a request runs, so the app is built on
// the first request and kept for the life of the isolate.
// NOTE: tasks live in the memory of one isolate. Cloudflare may send a poll to another
// isolate, which then returns ERROR_NO_SUCH_CAPCHA_ID, and Cloudflare's Context API docs limit
// `waitUntil` work to 30 s after the response, so a deployment needs a shared store and
// solves that finish within that time.
function buildApp(env: Record<string, unknown>): Hono<AppEnv> {
  const config = readConfig(env);
  if (config.generatedKey) console.log(`Generated demo client key: ${config.keys[0]?.key}`);

  const taskServer = createTaskServer({
    clientKeys: config.keys,
    solvers: createSandboxSolver(
      config.latencyMs === undefined ? {} : { latencyMs: config.latencyMs },
    ),
  });
  return createExampleApp({ taskServer, demoKey: config.keys[0]?.key ?? '' });
}

export default {
  fetch(
    request: Request,
    env: Record<string, unknown>,
    context: ExecutionContext,
  ): Response | Promise<Response> {
    app ??= buildApp(env);
    return app.fetch(request, env, context);
  },
};
