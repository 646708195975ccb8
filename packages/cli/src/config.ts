import { type ClientKeyEntry, parseClientKeys } from '@captask/core';
import { type BackendSettings, loadBackendSettings } from './backend-config';
import { type GatewaySettings, loadGatewaySettings } from './gateway-config';

/**
 * Source of solutions. `sandbox` is the built-in test double that solves nothing; `workers`
 * queues tasks for remote workers (`CAPTASK_WORKER_KEYS`); `relay` forwards them to an
 * upstream provider (`CAPTASK_UPSTREAM_URL` and `CAPTASK_UPSTREAM_KEY`).
 */
export type ServerMode = 'sandbox' | 'workers' | 'relay';

/** Task storage. `memory` loses tasks when the process stops; `redis` is shared by instances. */
export type StoreKind = 'memory' | 'redis';

/** Settings of the `captask` server, read from environment variables by `loadConfig`. */
export interface CliConfig extends BackendSettings, GatewaySettings {
  /** Interface to listen on (`CAPTASK_HOST`, default 127.0.0.1). */
  host: string;
  /** TCP port (`PORT`, default 8080); 0 picks a free port. */
  port: number;
  mode: ServerMode;
  store: StoreKind;
  /** Accepted keys (`CAPTASK_CLIENT_KEYS`: `key` or `key:balance`, comma-separated). */
  clientKeys: ClientKeyEntry[];
  /** True when `CAPTASK_CLIENT_KEYS` was unset or empty and one demo key was generated. */
  generatedKey: boolean;
  /** Sandbox delay before each solution, in ms (`CAPTASK_SANDBOX_LATENCY_MS`); unset means per task class. */
  sandboxLatencyMs: number | undefined;
  /** pino level (`CAPTASK_LOG_LEVEL`, default info). */
  logLevel: string;
}

/** A configuration value that cannot be used; the message names the variable and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Makes a random demo key when no keys are configured. */
  generateKey: () => string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the server settings from environment variables. Pure apart from `generateKey`.
 * Throws ConfigError for an invalid value; messages never contain a key.
 *
 * @example
 * const config = loadConfig(process.env, { generateKey: () => randomBytes(16).toString('hex') });
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions,
): CliConfig {
  const port = parsePort(env.PORT);
  const keysText = env.CAPTASK_CLIENT_KEYS?.trim() ?? '';
  let clientKeys: ClientKeyEntry[];
  try {
    clientKeys = parseClientKeys(keysText);
  } catch (error) {
    throw new ConfigError(`CAPTASK_CLIENT_KEYS is invalid: ${(error as Error).message}`);
  }
  const generatedKey = clientKeys.length === 0;
  if (generatedKey) clientKeys = [{ key: options.generateKey() }];

  let backend: BackendSettings;
  try {
    backend = loadBackendSettings(env, clientKeys);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }

  let gateway: GatewaySettings;
  try {
    gateway = loadGatewaySettings(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  if (gateway.upstream !== undefined && backend.workerKeys !== undefined) {
    throw new ConfigError(
      'CAPTASK_UPSTREAM_URL and CAPTASK_WORKER_KEYS both choose where tasks go; set only one.',
    );
  }

  const logLevel = env.CAPTASK_LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `CAPTASK_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}".`,
    );
  }

  return {
    host: env.CAPTASK_HOST?.trim() || '127.0.0.1',
    port,
    mode: modeOf(backend, gateway),
    store: backend.redisUrl === undefined ? 'memory' : 'redis',
    ...backend,
    ...gateway,
    clientKeys,
    generatedKey,
    sandboxLatencyMs: parseLatency(env.CAPTASK_SANDBOX_LATENCY_MS),
    logLevel,
  };
}

function modeOf(backend: BackendSettings, gateway: GatewaySettings): ServerMode {
  if (gateway.upstream !== undefined) return 'relay';
  return backend.workerKeys === undefined ? 'sandbox' : 'workers';
}

function parsePort(value: string | undefined): number {
  const text = value?.trim() ?? '';
  if (text.length === 0) return 8080;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${text}".`);
  }
  return port;
}

function parseLatency(value: string | undefined): number | undefined {
  const text = value?.trim() ?? '';
  if (text.length === 0) return undefined;
  if (!/^\d+$/.test(text)) {
    throw new ConfigError(
      `CAPTASK_SANDBOX_LATENCY_MS must be a whole number of milliseconds, got "${text}".`,
    );
  }
  return Number(text);
}
