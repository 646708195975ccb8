// Bun server for the captask protocol. @captask/serve starts Bun.serve with a handler that
// serves the protocol at the root (sandbox solver) and a demo route, GET /demo/solve, that
// solves a sample captcha through this server's own port with the captask client.
import { type CaptaskClient, createClient } from '@captask/core/client';
import { createSandboxSolver, createTaskServer, parseClientKeys } from '@captask/core/server';
import { serve } from '@captask/serve';

// A 24x8 grayscale PNG (268 bytes), standing in for a captcha image.
const SAMPLE_CAPTCHA_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAAAAADGymC/AAAA00lEQVR4AQHIADf/AAALFiEsN0JNWGNueYSPmqWwu8bR3Ofy/QAdKDM+SVRfanWAi5ahrLfCzdjj7vkEDxoAOkVQW2ZxfIeSnaizvsnU3+r1AAsWISw3AFdibXiDjpmkr7rF0Nvm8fwHEh0oMz5JVAB0f4qVoKu2wczX4u34Aw4ZJC86RVBbZnEAkZynsr3I097p9P8KFSArNkFMV2JteIOOAK65xM/a5fD7BhEcJzI9SFNeaXR/ipWgqwDL1uHs9wINGCMuOURPWmVwe4aRnKeyvcjX5F8BC6RyRgAAAABJRU5ErkJggg==';

function readPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${value}".`);
  }
  return port;
}

function readLatency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;

  const latencyMs = Number(value);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new Error(`SANDBOX_LATENCY_MS must be a number of milliseconds >= 0, got "${value}".`);
  }
  return latencyMs;
}

/** Generates a random demo key such as `demo-3f1c...` (24 hex digits). */
function generateDemoKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `demo-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

const port = readPort(Bun.env.PORT ?? '8080');
const latencyMs = readLatency(Bun.env.SANDBOX_LATENCY_MS);
const configuredKeys = Bun.env.CAPTASK_CLIENT_KEYS?.trim();
const keys = configuredKeys ? parseClientKeys(configuredKeys) : [{ key: generateDemoKey() }];

const taskServer = createTaskServer({
  clientKeys: keys,
  solvers: createSandboxSolver(latencyMs === undefined ? {} : { latencyMs }),
});
// The client needs the server's URL, which is only known after it listens when PORT is 0.
let client: CaptaskClient | undefined;

async function solveDemo(): Promise<Response> {
  try {
    const result = await (client as CaptaskClient).solve({
      type: 'ImageToTextTask',
      body: SAMPLE_CAPTCHA_PNG,
    });
    return Response.json({
      taskId: result.taskId,
      polls: result.polls,
      text: result.solution.text,
    });
  } catch (error) {
    console.error('Demo solve failed:', error);
    const code = (error as { code?: string }).code ?? 'DEMO_FAILED';
    return Response.json({ error: code, message: String(error) }, { status: 502 });
  }
}

const server = await serve({
  port,
  handler: (request) => {
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && pathname === '/demo/solve') return solveDemo();
    return taskServer(request);
  },
  onError: (error) => console.error('Request failed:', error),
});
client = createClient({ clientKey: keys[0]?.key ?? '', baseUrl: server.url });

async function shutdown(signal: string): Promise<void> {
  console.log(`Received ${signal}, shutting down.`);
  await server.stop();
  await taskServer.close();
  console.log('Stopped.');
  process.exit(0);
}

process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

// Printed last, after the signal listeners are in place, so a test that waits for these
// lines can stop the app gracefully at once.
console.log(`captask Bun example listening on ${server.url}`);
if (!configuredKeys) console.log(`Generated demo client key: ${keys[0]?.key}`);
console.log(`Try: curl ${server.url}/demo/solve`);
