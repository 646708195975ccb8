export {
  applyKeyModifiers,
  type KeyModifierOptions,
  type KeyModifierParse,
  parseKeyModifiers,
  type SplitClientKey,
  splitClientKey,
} from './client-key';
export type { KeyDigest } from './constant-time';
export { createManualClock, type ManualClock } from './manual-clock';
export {
  createMemoryStore,
  DEFAULT_MAX_STORED_TASK_BYTES,
  type MemoryStore,
  type MemoryStoreOptions,
} from './memory-store';
export { parseClientKeys } from './parse-client-keys';
export type { PlainRequest, PlainResponse } from './plain-request';
export { DEFAULT_PRICES, type PriceTable, priceOf } from './pricing';
export { DEFAULT_MAX_BODY_BYTES } from './read-body';
export {
  createSandboxSolver,
  SANDBOX_ERROR_PREFIX,
  SANDBOX_LATENCY_MS,
  type SandboxSolverOptions,
} from './sandbox-solver';
export {
  type ClientKeyEntry,
  createStaticAccounts,
  type StaticAccountsOptions,
} from './static-accounts';
export { systemClock, systemTimers } from './system-time';
export {
  MIN_TASK_ID_EXCLUSIVE,
  type ParseTaskIdOptions,
  parseTaskId,
  randomTaskId,
  type TaskIdParse,
} from './task-id';
export {
  createTaskServer,
  plainEntryOf,
  type TaskServer,
  type TaskServerLimits,
  type TaskServerOptions,
} from './task-server';
export type * from './types';
