// Express app that serves the captask protocol at its root with the sandbox solver, and a
// demo route that solves a captcha through that same protocol endpoint with the client.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createClient } from '@captask/core/client';
import { createSandboxSolver, parseClientKeys } from '@captask/core/server';
import {
  captask,
  captaskClient,
  handleClientError,
  handleConnect,
  handleExpectation,
} from '@captask/express';
import express from 'express';

const HOST = '127.0.0.1';

// A 12x12 grayscale noise PNG (224 bytes), standing in for a captcha image.
const SAMPLE_CAPTCHA_PNG = [
  'iVBORw0KGgoAAAANSUhEUgAAAAwAAAAMCAAAAABzHgM7AAAAp0lEQVR42gGcAGP/AKVNyhglMLsd',
  'bRMs3gDWI3su2R4/ch/LGXEAF0SU1kk8nVw0YL4xACAeaf7aoO7ouZl/XAB8KZn9r+WTJTzWVK8A',
  'TfrXFCegrrP+6SMvAIryIR+e5JHFsQvstQBWO/web5NCfsvI/ikAVeXNjkbcjtS3wnZNACpaTXZ3',
  'BvhdhpACSgDWvaNAG+nIy8zJNfYAzR9hImrhUziuGjQAK4lHVxsm5OIAAAAASUVORK5CYII=',
].join('');

/** Prints warnings and errors of the task server; debug and info lines are dropped. */
const logger = {
  debug() {},
  info() {},
  warn: (context, message) => console.warn(message, context),
  error: (context, message) => console.error(message, context),
};

function readPort(value) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${value}".`);
  }
  return port;
}

function readLatency(value) {
  if (value === undefined) return undefined;

  const latencyMs = Number(value);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new Error(`SANDBOX_LATENCY_MS must be a number of milliseconds >= 0, got "${value}".`);
  }
  return latencyMs;
}

function readKeys(value) {
  try {
    return parseClientKeys(value);
  } catch (error) {
    throw new Error(`CAPTASK_CLIENT_KEYS is invalid: ${error.message}`);
  }
}

/** Reads the settings, or prints what is wrong and exits with code 2, as the captask CLI does. */
function readSettings(env) {
  try {
    const configuredKeys = env.CAPTASK_CLIENT_KEYS?.trim();
    return {
      port: readPort(env.PORT ?? '8080'),
      latencyMs: readLatency(env.SANDBOX_LATENCY_MS),
      configuredKeys,
      keys: configuredKeys
        ? readKeys(configuredKeys)
        : [{ key: `demo-${randomBytes(12).toString('hex')}` }],
    };
  } catch (error) {
    console.error(`captask Express example: ${error.message}`);
    process.exit(2);
  }
}

const { port, latencyMs, configuredKeys, keys } = readSettings(process.env);

// The port is only known after listen when PORT is 0, and the demo client needs the URL.
// The timeouts bound how long a client may take to send a request. Without requireHostHeader,
// a request lacking Host reaches captask, which sends protocol JSON.
const httpServer = createServer({
  headersTimeout: 20_000,
  requestTimeout: 60_000,
  requireHostHeader: false,
});
// Requests that Node's HTTP parser rejects get protocol JSON instead of a bare 400, and so do
// CONNECT and Expect values other than 100-continue, which Node keeps from the app.
httpServer.on('clientError', handleClientError);
httpServer.on('connect', handleConnect);
httpServer.on('checkExpectation', handleExpectation);
httpServer.listen(port, HOST);
await once(httpServer, 'listening');
const url = `http://${HOST}:${httpServer.address().port}`;

const protocol = captask({
  clientKeys: keys,
  solvers: createSandboxSolver(latencyMs === undefined ? {} : { latencyMs }),
  logger,
  onError: (error) => console.error('Request failed:', error),
});
const client = createClient({ clientKey: keys[0].key, baseUrl: url });

const app = express();
app.disable('x-powered-by');

// Registered before the protocol, which sends a protocol response for every other root path.
app.get('/demo/solve', captaskClient(client), async (_req, res) => {
  try {
    const result = await res.locals.captask.solve({
      type: 'ImageToTextTask',
      body: SAMPLE_CAPTCHA_PNG,
    });
    res.json({ taskId: result.taskId, polls: result.polls, text: result.solution.text });
  } catch (error) {
    console.error('Demo solve failed:', error);
    res.status(502).json({ error: error.code ?? 'DEMO_FAILED', message: error.message });
  }
});

app.use(protocol);
// Express skips every route for a request URL it cannot parse, such as `http://[::1/x`, and
// ends in this final handler, which replies in the protocol's JSON shape instead of HTML. So
// does an error that no route handled.
httpServer.on('request', (req, res) => {
  app(req, res, (error) => {
    if (error) console.error('Request failed:', error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(error ? 500 : 404).json({
      errorId: 1,
      errorCode: error ? 'ERROR_NO_SLOT_AVAILABLE' : 'ERROR_NO_SUCH_METHOD',
      errorDescription: error
        ? 'The server failed to handle the request; retry later.'
        : 'The request URL could not be read; POST to a path that names a method.',
    });
  });
});

console.log(`captask Express example listening on ${url}`);
if (!configuredKeys) console.log(`Generated demo client key: ${keys[0].key}`);
console.log(`Try: curl ${url}/demo/solve`);

async function shutdown(signal) {
  console.log(`Received ${signal}, shutting down.`);

  const closed = new Promise((resolve) => httpServer.close(resolve));
  httpServer.closeIdleConnections();

  // Requests still running get 5 seconds before their connections are cut.
  const timer = setTimeout(() => httpServer.closeAllConnections(), 5_000);
  timer.unref();

  await protocol.server.close();
  await closed;
  console.log('Stopped.');
}

process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
