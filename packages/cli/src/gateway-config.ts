import type { ProviderName } from '@captask/core';

const PROVIDERS: readonly ProviderName[] = ['capmonster', 'anti-captcha', 'capsolver', '2captcha'];

/** The upstream provider of relay mode. */
export interface UpstreamSettings {
  /** `CAPTASK_UPSTREAM_URL`: base URL of the provider, such as https://api.capmonster.cloud. */
  url: string;
  /** `CAPTASK_UPSTREAM_KEY`: the provider account key. Never printed or logged. */
  key: string;
  /** `CAPTASK_UPSTREAM_PROVIDER`: protocol dialect; default recognized from the URL's host. */
  provider?: ProviderName;
}

/** Settings for gateway deployments, read from the environment by `loadGatewaySettings`. */
export interface GatewaySettings {
  /** Relay mode: forward every task to this provider. */
  upstream?: UpstreamSettings;
  /** `CAPTASK_CALLBACK_ALLOW`: hosts, IPs or prefixes that callbacks may reach although private. */
  callbackAllow?: string[];
  /** `CAPTASK_KEY_MAX_IN_FLIGHT`: tasks each client key may have processing at once. */
  keyMaxInFlight?: number;
  /** `CAPTASK_KEY_MAX_PER_MINUTE`: new tasks each client key may create per minute. */
  keyMaxTasksPerMinute?: number;
  /** `CAPTASK_LONG_POLL_MAX_MS`: maximum hold of a long-polled getTaskResult; 0 turns it off. */
  longPollMaxWaitMs?: number;
}

/**
 * Reads the gateway settings. Throws an Error whose message names the variable and never
 * repeats the upstream key; the caller wraps it in its own error type.
 *
 * @example
 * loadGatewaySettings({ CAPTASK_UPSTREAM_URL: 'https://api.capmonster.cloud', CAPTASK_UPSTREAM_KEY: key });
 */
export function loadGatewaySettings(
  env: Readonly<Record<string, string | undefined>>,
): GatewaySettings {
  const settings: GatewaySettings = {};
  const url = env.CAPTASK_UPSTREAM_URL?.trim() ?? '';
  const key = env.CAPTASK_UPSTREAM_KEY?.trim() ?? '';
  if (url !== '' || key !== '') settings.upstream = readUpstream(url, key, env);

  const allow = (env.CAPTASK_CALLBACK_ALLOW ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (allow.length > 0) settings.callbackAllow = allow;

  const maxInFlight = readCount(env, 'CAPTASK_KEY_MAX_IN_FLIGHT', 1);
  if (maxInFlight !== undefined) settings.keyMaxInFlight = maxInFlight;
  const perMinute = readCount(env, 'CAPTASK_KEY_MAX_PER_MINUTE', 1);
  if (perMinute !== undefined) settings.keyMaxTasksPerMinute = perMinute;
  const longPoll = readCount(env, 'CAPTASK_LONG_POLL_MAX_MS', 0);
  if (longPoll !== undefined) settings.longPollMaxWaitMs = longPoll;
  // An empty value counts as unset, as it does for the other variables.
  if ((env.CAPTASK_KEY_RESERVE_BALANCE?.trim() ?? '') !== '') {
    throw new Error(
      "CAPTASK_KEY_RESERVE_BALANCE was removed because createTask now reserves every task's price from the key's balance. Unset it.",
    );
  }
  return settings;
}

function readUpstream(
  url: string,
  key: string,
  env: Readonly<Record<string, string | undefined>>,
): UpstreamSettings {
  if (url === '') {
    throw new Error(
      'CAPTASK_UPSTREAM_KEY is set but CAPTASK_UPSTREAM_URL is not; set both for relay mode.',
    );
  }
  if (key === '') {
    throw new Error(
      'CAPTASK_UPSTREAM_URL is set but CAPTASK_UPSTREAM_KEY is not; set both for relay mode.',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      'CAPTASK_UPSTREAM_URL is not an absolute URL; use one such as https://api.capmonster.cloud.',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(
      `CAPTASK_UPSTREAM_URL must use http or https, not ${parsed.protocol.slice(0, -1)}.`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new Error(
      'CAPTASK_UPSTREAM_URL must not contain a user name or password; put the key in CAPTASK_UPSTREAM_KEY.',
    );
  }

  const upstream: UpstreamSettings = { url, key };
  const provider = env.CAPTASK_UPSTREAM_PROVIDER?.trim() ?? '';
  if (provider !== '') {
    if (!PROVIDERS.includes(provider as ProviderName)) {
      throw new Error(
        `CAPTASK_UPSTREAM_PROVIDER must be one of ${PROVIDERS.join(', ')}, got "${provider}".`,
      );
    }
    upstream.provider = provider as ProviderName;
  }
  return upstream;
}

function readCount(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  min: number,
): number | undefined {
  const text = env[name]?.trim() ?? '';
  if (text === '') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min) {
    throw new Error(`${name} must be a whole number from ${min}, got "${text}".`);
  }
  return value;
}
