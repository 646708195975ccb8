import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandboxSolver, createTaskServer, type Logger } from '@captask/core';
import {
  createNodeListener,
  handleClientError,
  handleConnect,
  handleExpectation,
  sha256Digest,
} from '@captask/node';
import { createBackend } from './backend';
import { redactRedisUrl } from './backend-config';
import type { CliConfig } from './config';
import { describeRelay, gatewayServerOptions } from './gateway-options';

/**
 * Node http settings. The timeouts bound how long a client may take to send its headers and
 * its whole request. They stop once a request has arrived, so a long-polled getTaskResult held
 * for up to CAPTASK_LONG_POLL_MAX_MS is not cut. Without requireHostHeader, a request that
 * lacks Host reaches the listener, which sends protocol JSON instead of a bare 400.
 */
const SERVER_OPTIONS = {
  headersTimeout: 20_000,
  requestTimeout: 60_000,
  requireHostHeader: false,
} as const;

/** A server that `startServer` started. */
export interface RunningServer {
  /** Base URL with the real port, such as `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  /** Stops accepting connections, closes open ones, then stops the task server. */
  close(): Promise<void>;
}

/**
 * Starts the captask server on Node http: the sandbox solver, the worker queue or the relay to
 * an upstream provider, with the in-memory store or Redis, as the config selects.
 *
 * @example
 * const running = await startServer(loadConfig(process.env, { generateKey }), { logger });
 */
export async function startServer(
  config: CliConfig,
  options: { logger: Logger },
): Promise<RunningServer> {
  const { logger } = options;
  const latencyMs = config.sandboxLatencyMs;
  const backend = await createBackend(config, { logger });
  const taskServer = createTaskServer({
    clientKeys: config.clientKeys,
    clientKeyDigest: sha256Digest,
    solvers: createSandboxSolver(latencyMs === undefined ? {} : { latencyMs }),
    logger,
    ...gatewayServerOptions(config, logger),
    ...backend.serverOptions,
  });
  const server = createServer(
    SERVER_OPTIONS,
    createNodeListener(backend.wrap(taskServer), {
      onError: (error) => logger.error({ err: error }, 'request failed in the http bridge'),
    }),
  );
  server.on('clientError', handleClientError);
  server.on('connect', handleConnect);
  server.on('checkExpectation', handleExpectation);

  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  const close = async (): Promise<void> => {
    const closed = new Promise<void>((resolve, reject) => {
      server.close((error) => (error === undefined ? resolve() : reject(error)));
    });
    // Idle keep-alive connections (the official client uses an agent) would hold close() open.
    server.closeIdleConnections();
    // Closing the task server ends held long polls, so they respond with the task's state as
    // protocol JSON before their connections close.
    await taskServer.close();
    server.closeAllConnections();
    await closed;
    await backend.close();
  };
  return { url: `http://${host}:${port}`, port, close };
}

/** Formats the startup text: URL, mode, store, keys and a curl example. */
export function formatBanner(config: CliConfig, url: string): string {
  const key = config.generatedKey ? (config.clientKeys[0]?.key ?? '') : 'YOUR_KEY';
  const keys = config.generatedKey
    ? `demo key ${key} (set CAPTASK_CLIENT_KEYS to choose keys)`
    : `${config.clientKeys.length} from CAPTASK_CLIENT_KEYS`;
  const task =
    '{"type":"TurnstileTask","websiteURL":"https://example.com/","websiteKey":"0x4AAAAAAAsandbox"}';
  return [
    `captask listening on ${url}`,
    `  mode:  ${describeMode(config, url)}`,
    `  store: ${describeStore(config)}`,
    `  keys:  ${keys}`,
    '',
    'Create a task, then poll its result with the taskId it returns:',
    `  curl -s -X POST ${url}/createTask -H 'content-type: application/json' \\`,
    `    -d '{"clientKey":"${key}","task":${task}}'`,
    `  curl -s -X POST ${url}/getTaskResult -H 'content-type: application/json' \\`,
    `    -d '{"clientKey":"${key}","taskId":TASK_ID}'`,
    '',
  ].join('\n');
}

function describeMode(config: CliConfig, url: string): string {
  if (config.mode === 'sandbox') {
    return 'sandbox (a test double: solutions are fake, nothing is solved)';
  }
  if (config.mode === 'relay') return describeRelay(config);
  const count = config.workerKeys?.length ?? 0;
  const keys = `${count} ${count === 1 ? 'key' : 'keys'} from CAPTASK_WORKER_KEYS`;
  return `workers (tasks wait for workers at ${url}/worker/claim; ${keys})`;
}

function describeStore(config: CliConfig): string {
  if (config.redisUrl === undefined) return 'memory (tasks are lost when the process stops)';
  const where = redactRedisUrl(config.redisUrl);
  return `redis at ${where}, key prefix ${config.redisKeyPrefix} (shared by every instance on it)`;
}
