import type { Clock, Logger, TaskStore, Timers } from '../server/types';
import { type CallbackSender, createCallbackSender } from './callback-sender';
import {
  type CallbackUrlPolicy,
  type CallbackUrlPolicyOptions,
  createCallbackUrlPolicy,
} from './callback-url';
import { withCompletionSignals } from './completion-signals';
import { type KeyLimitsOptions, withKeyLimits } from './key-limits';
import { DEFAULT_LONG_POLL_MAX_WAIT_MS } from './long-poll';

/** Long polling of getTaskResult for captask's own client. */
export interface LongPollOptions {
  /** Maximum hold of one getTaskResult request, in ms. Default 20,000; 0 turns it off. */
  maxWaitMs?: number;
}

/** Settings for the callbackUrl check and the delivery of callbacks. */
export interface ServerCallbackOptions extends CallbackUrlPolicyOptions {
  /** Fetch for the callback POSTs. Default `globalThis.fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Time the receiver has to respond to one POST, in ms. Default 2,000. */
  timeoutMs?: number;
  /** Waits before the retries, in ms. Default [1000, 5000, 15000]. */
  retryDelaysMs?: readonly number[];
}

/** Server options for gateway deployments; `createTaskServer` accepts them all. */
export interface GatewayServerOptions {
  /**
   * Long polling for clients that request it with `"captask": { "waitMs": n }`. Default: on
   * with a 20 s maximum when the store can signal completions (the default memory store, or a
   * store with `waitForCompletion`), else off. `true` or an object turns it on for any store;
   * completions then reach only requests held in this process.
   */
  longPoll?: boolean | LongPollOptions;
  /**
   * Checks of callbackUrl at createTask and delivery of callbacks. Without `resolveHost`,
   * host names are rejected unless `allow` names them, because their addresses cannot be
   * checked; IP literals are checked directly.
   */
  callbacks?: ServerCallbackOptions;
  /** Per-account limits on tasks in flight and tasks per minute. */
  keyLimits?: Omit<KeyLimitsOptions, 'clock'>;
}

/** The parts of the server that the gateway options produce. */
export interface GatewayFeatures {
  store: TaskStore;
  longPollMaxWaitMs: number;
  callbacks: { policy: CallbackUrlPolicy; sender: CallbackSender };
}

/**
 * Builds the store wrappers, long-poll setting and callback parts from the gateway options.
 * `ownsStore` is true when the server created the store itself.
 */
export function resolveGatewayFeatures(
  options: GatewayServerOptions,
  parts: {
    store: TaskStore;
    ownsStore: boolean;
    clock: Clock;
    timers: Timers;
    logger: Logger;
  },
): GatewayFeatures {
  let store = parts.store;
  if (options.keyLimits !== undefined) {
    store = withKeyLimits(store, { ...options.keyLimits, clock: parts.clock });
  }

  const longPoll = options.longPoll;
  const maxWaitMs =
    typeof longPoll === 'object'
      ? (longPoll.maxWaitMs ?? DEFAULT_LONG_POLL_MAX_WAIT_MS)
      : DEFAULT_LONG_POLL_MAX_WAIT_MS;
  const wanted =
    longPoll === undefined
      ? parts.ownsStore || store.waitForCompletion !== undefined
      : longPoll !== false && maxWaitMs > 0;
  if (wanted && store.waitForCompletion === undefined) store = withCompletionSignals(store);

  const callbackOptions = options.callbacks ?? {};
  const policy = createCallbackUrlPolicy(callbackOptions);
  const sender = createCallbackSender({
    fetch: callbackOptions.fetch,
    timeoutMs: callbackOptions.timeoutMs,
    retryDelaysMs: callbackOptions.retryDelaysMs,
    timers: parts.timers,
    urlPolicy: policy,
    logger: parts.logger,
  });

  return { store, longPollMaxWaitMs: wanted ? maxWaitMs : 0, callbacks: { policy, sender } };
}
