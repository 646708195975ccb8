// Runs the example app on Node with @hono/node-server, on 127.0.0.1 and the port in PORT.
import { createSandboxSolver, createTaskServer } from '@captask/core/server';
import { serve } from '@hono/node-server';
import { createExampleApp } from './app';
import { readConfig } from './config';

const HOST = '127.0.0.1';

function readPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${value}".`);
  }
  return port;
}

const port = readPort(process.env.PORT ?? '8080');
const config = readConfig(process.env);
const taskServer = createTaskServer({
  clientKeys: config.keys,
  solvers: createSandboxSolver(
    config.latencyMs === undefined ? {} : { latencyMs: config.latencyMs },
  ),
});
const app = createExampleApp({ taskServer, demoKey: config.keys[0]?.key ?? '' });

const server = serve({ fetch: app.fetch, port, hostname: HOST }, (info) => {
  const url = `http://${HOST}:${info.port}`;
  console.log(`captask Hono example listening on ${url}`);
  if (config.generatedKey) console.log(`Generated demo client key: ${config.keys[0]?.key}`);
  console.log(`Try: curl ${url}/demo/solve`);
});

async function shutdown(signal: string): Promise<void> {
  console.log(`Received ${signal}, shutting down.`);

  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await taskServer.close();
  await closed;
  console.log('Stopped.');
}

process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
