import { type ClientKeyEntry, parseClientKeys } from '@captask/core/server';

/** Settings read from environment variables or Workers bindings. */
export interface ExampleConfig {
  keys: ClientKeyEntry[];
  /** True when no keys were configured and `keys` contains one generated demo key. */
  generatedKey: boolean;
  /** Sandbox delay for every task, in ms, or undefined for the sandbox's defaults. */
  latencyMs: number | undefined;
}

/** Generates a random demo key such as `demo-3f1c...` (24 hex digits). */
function generateDemoKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `demo-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function readLatency(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;

  const latencyMs = Number(value);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new Error(`SANDBOX_LATENCY_MS must be a number of milliseconds >= 0, got "${value}".`);
  }
  return latencyMs;
}

/**
 * Reads `CAPTASK_CLIENT_KEYS` (comma-separated keys, each optionally `key:balance`) and
 * `SANDBOX_LATENCY_MS`. Without keys it generates one demo key.
 */
export function readConfig(env: Record<string, unknown>): ExampleConfig {
  const configured = typeof env.CAPTASK_CLIENT_KEYS === 'string' ? env.CAPTASK_CLIENT_KEYS : '';
  const keys = parseClientKeys(configured);
  const latency = env.SANDBOX_LATENCY_MS;
  const latencyMs = readLatency(typeof latency === 'string' ? latency : undefined);

  if (keys.length > 0) return { keys, generatedKey: false, latencyMs };
  return { keys: [{ key: generateDemoKey() }], generatedKey: true, latencyMs };
}
