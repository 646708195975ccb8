export {
  type CallbackResult,
  type CallbackSender,
  type CallbackSenderOptions,
  createCallbackSender,
} from './callback-sender';
export {
  type CallbackUrlPolicy,
  type CallbackUrlPolicyOptions,
  createCallbackUrlPolicy,
  type ResolveHost,
} from './callback-url';
export { type CompletionAwareStore, withCompletionSignals } from './completion-signals';
export { type CreateFailureKind, classifyCreateFailure } from './create-failure';
export {
  formatIpAddress,
  type IpAddress,
  type IpPrefix,
  isInPrefix,
  parseIpAddress,
  parseIpPrefix,
} from './ip-address';
export {
  type KeyLimits,
  type KeyLimitsOptions,
  type LimitedTaskStore,
  withKeyLimits,
} from './key-limits';
export {
  DEFAULT_LONG_POLL_MAX_WAIT_MS,
  EXTENSION_FIELD,
  type HoldOptions,
  holdUntilFinished,
  type LongPollCapability,
  longPollAnnouncement,
  longPollRequest,
  readLongPollCapability,
  readRequestedWaitMs,
} from './long-poll';
export { fromProviderError, toProviderTask } from './provider-task';
export {
  PROVIDERS,
  type ProviderName,
  type ProviderProfile,
  type ProviderType,
  providerForUrl,
} from './providers';
export {
  type RelayOptions,
  type RelaySolverOptions,
  relaySolver,
  type UpstreamOptions,
} from './relay-solver';
export type {
  GatewayServerOptions,
  LongPollOptions,
  ServerCallbackOptions,
} from './server-features';
export { specialRangeOf } from './special-addresses';
