import {
  type GatewayServerOptions,
  type Logger,
  providerForUrl,
  relaySolver,
  type Solver,
} from '@captask/core';
import type { CliConfig } from './config';
import { resolveHost } from './resolve-host';

/**
 * Builds the server options that the gateway settings choose: the relay solver in relay mode,
 * callback checks with the system resolver, per-key limits and the long-poll maximum.
 */
export function gatewayServerOptions(
  config: CliConfig,
  logger: Logger,
): GatewayServerOptions & { solvers?: Solver } {
  const options: GatewayServerOptions & { solvers?: Solver } = {
    callbacks: {
      resolveHost,
      ...(config.callbackAllow === undefined ? {} : { allow: config.callbackAllow }),
    },
  };
  if (config.upstream !== undefined) {
    const { url, key, provider } = config.upstream;
    options.solvers = relaySolver({
      baseUrl: url,
      clientKey: key,
      logger,
      ...(provider === undefined ? {} : { provider }),
    });
  }
  const limited = config.keyMaxInFlight !== undefined || config.keyMaxTasksPerMinute !== undefined;
  if (limited) {
    options.keyLimits = {
      defaults: {
        ...(config.keyMaxInFlight === undefined ? {} : { maxInFlight: config.keyMaxInFlight }),
        ...(config.keyMaxTasksPerMinute === undefined
          ? {}
          : { maxTasksPerMinute: config.keyMaxTasksPerMinute }),
      },
    };
  }
  if (config.longPollMaxWaitMs !== undefined) {
    options.longPoll = { maxWaitMs: config.longPollMaxWaitMs };
  }
  return options;
}

/** Describes relay mode for the banner: where tasks go, without the key. */
export function describeRelay(config: CliConfig): string {
  const upstream = config.upstream;
  if (upstream === undefined) return 'relay';
  const provider = upstream.provider ?? providerForUrl(upstream.url);
  const origin = new URL(upstream.url).origin;
  return `relay (forwards every task to ${origin} as ${provider}; key from CAPTASK_UPSTREAM_KEY)`;
}
