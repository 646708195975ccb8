import type { CallbackSender } from '../gateway/callback-sender';
import type { CallbackUrlPolicy } from '../gateway/callback-url';
import { longPollAnnouncement } from '../gateway/long-poll';
import { CaptaskError } from '../protocol/errors';
import { splitClientKey } from './client-key';
import type { PriceTable } from './pricing';
import type { ReportedTasks } from './reported-tasks';
import type {
  Account,
  AccountSource,
  Clock,
  Logger,
  ServerHooks,
  Solver,
  TaskStore,
  Timers,
} from './types';

/** Limits after defaults are applied. */
export interface ResolvedLimits {
  maxPollsPerTask: number;
  resultTtlMs: number;
  pendingTtlMs: number;
  maxBodyBytes: number;
  solveTimeoutMs: number;
  maxPendingTasksPerAccount: number;
}

/** Everything the method handlers share. */
/** A solve in progress. */
export interface RunningSolve {
  /** Aborts the solver's signal and fails the task with `reason`, even if the solver ignores it. */
  abort(reason: unknown): void;
  /** Settles once the outcome is stored and the task's slot is free; never rejects. */
  done: Promise<void>;
}

export interface ServerContext {
  store: TaskStore;
  accounts: AccountSource;
  solvers: readonly Solver[];
  logger: Logger;
  hooks: ServerHooks;
  clock: Clock;
  timers: Timers;
  limits: ResolvedLimits;
  prices: PriceTable;
  /** Solves in progress by task id, so `close()` can stop them and `idle()` can wait. */
  inFlight: Map<number, RunningSolve>;
  /** The one timer that fails solves past their deadline, while any solve is in progress. */
  deadlineTimer: unknown;
  /** Tasks in progress per account id, counted against `maxPendingTasksPerAccount`. */
  pendingByAccount: Map<string, number>;
  /** Tasks reported through reportIncorrect*Captcha, so that a repeated report counts once. */
  reported: ReportedTasks;
  closing: boolean;
  /** Aborted by `close()`, which ends held getTaskResult requests. */
  closeSignal: AbortSignal;
  /** Maximum hold of a long-polled getTaskResult request, in ms; 0 when long polling is off. */
  longPollMaxWaitMs: number;
  /** Check of callbackUrl values and the sender of callback POSTs. */
  callbacks: { policy: CallbackUrlPolicy; sender: CallbackSender };
}

/**
 * Reads a top-level body field by name, falling back to a case-insensitive match because
 * clients differ in casing (`clientKey`, `ClientKey`).
 */
export function readField(body: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(body, name)) return body[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/** The authenticated caller of a request and the modifiers split off its clientKey. */
export interface Caller {
  account: Account;
  modifiers: string[];
}

/**
 * Authenticates the body's clientKey after splitting off `__` modifiers. Throws
 * ERROR_KEY_DOES_NOT_EXIST for a missing, non-string or unknown key; the message never
 * repeats the key.
 */
export async function authenticate(
  context: ServerContext,
  body: Record<string, unknown>,
): Promise<Caller> {
  const raw = readField(body, 'clientKey');
  if (raw === undefined || raw === null) {
    throw new CaptaskError('ERROR_KEY_DOES_NOT_EXIST', {
      description: 'clientKey is missing; send your API key in the clientKey field.',
    });
  }
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new CaptaskError('ERROR_KEY_DOES_NOT_EXIST', {
      description: 'clientKey must be a non-empty string.',
    });
  }
  const { key, modifiers } = splitClientKey(raw);
  const account = key.length > 0 ? await context.accounts.authenticate(key) : undefined;
  if (account === undefined) {
    throw new CaptaskError('ERROR_KEY_DOES_NOT_EXIST', {
      description: 'The clientKey is not a key of this server.',
    });
  }
  return { account, modifiers };
}

/** Calls a hook and keeps a throwing hook from breaking the request or the task. */
export function callHook(context: ServerContext, name: string, call: () => void): void {
  try {
    call();
  } catch (error) {
    context.logger.error({ err: error, hook: name }, 'server hook threw');
  }
}

/** Returns the long-poll announcement for createTask and getBalance responses, when it is on. */
export function announcement(context: ServerContext): Record<string, unknown> {
  const maxWaitMs = context.longPollMaxWaitMs;
  return maxWaitMs > 0 ? longPollAnnouncement(maxWaitMs) : {};
}

/** The logger of a server given none: it discards every record. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Tells whether `info` records reach the logger: false for the default silent logger and for a
 * pino logger whose `isLevelEnabled('info')` is false at the time of the call.
 */
export function isInfoEnabled(logger: Logger): boolean {
  if (logger === silentLogger) return false;
  const levels = logger as Logger & { isLevelEnabled?: (level: string) => boolean };
  return typeof levels.isLevelEnabled !== 'function' || levels.isLevelEnabled('info');
}
