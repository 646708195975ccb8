import { type CaptaskClient, createClient } from '../client/create-client';
import { MAX_POLLS_PER_TASK, type ScheduleOverride } from '../client/schedule';
import type { FetchFunction, TaskId } from '../client/types';
import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { canonicalTaskType } from '../protocol/task-specs';
import type { Task } from '../protocol/task-types';
import { sleep, systemTimers } from '../server/system-time';
import type { Clock, Logger, SolveContext, Solver, Timers } from '../server/types';
import { classifyCreateFailure } from './create-failure';
import { describePollFailure } from './poll-failure';
import { fromProviderError, toProviderTask } from './provider-task';
import { PROVIDERS, type ProviderName, type ProviderProfile, providerForUrl } from './providers';

/** One upstream service and the key the relay uses there. */
export interface UpstreamOptions {
  /** Service root. Default: the provider's, and CapMonster Cloud when no provider is given. */
  baseUrl?: string;
  /** The upstream account key. It never appears in logs, errors or downstream responses. */
  clientKey: string;
  /** The upstream's protocol dialect. Default: recognized from `baseUrl`, else `capmonster`. */
  provider?: ProviderName;
  /** Canonical types sent to this upstream. Default: every type the provider supports. */
  types?: readonly string[];
  /** Name in logs and error descriptions. Default: the base URL's host. */
  name?: string;
}

export interface RelayOptions {
  fetch?: FetchFunction;
  clock?: Clock;
  timers?: Timers;
  logger?: Logger;
  /** Upstream polling schedule, merged over the client's per-type default. */
  schedule?: ScheduleOverride;
  /** Upstream getTaskResult requests per task, failed ones included: 1 to 120. Default 120. */
  maxPolls?: number;
  /** Timeout of one upstream HTTP request, in ms. Default 20,000. */
  requestTimeoutMs?: number;
  /** Passes over the upstream list when every upstream failed without creating a task. Default 3. */
  createRounds?: number;
  /** Wait before the second pass, in ms; doubles for each later pass. Default 1,000. */
  createRetryDelayMs?: number;
}

/** A single upstream given inline, or a list tried in order for each task type. */
export type RelaySolverOptions = RelayOptions &
  (UpstreamOptions | { upstreams: readonly UpstreamOptions[] });

/** A task created upstream: where, its id there, and what createTask returned. */
interface CreatedUpstreamTask {
  upstream: Upstream;
  taskId: TaskId;
  ready?: Record<string, unknown>;
  longPoll?: { maxWaitMs: number };
}

interface Upstream {
  name: string;
  profile: ProviderProfile;
  types: ReadonlySet<string>;
  client: CaptaskClient;
}

/**
 * Creates a solver that forwards each task to an upstream provider (CapMonster Cloud by
 * default; Anti-Captcha, CapSolver and 2Captcha by base URL or `provider`) and polls it with
 * captask's client. Each task gets one createTask and one polling loop upstream, however many
 * clients poll the task downstream, because the server serves their polls from its store.
 * An upstream captask server that announces long polling gets one held request per task.
 *
 * With several upstreams, a task goes to the first one that supports its type. When createTask
 * fails there in a way that proves no task was created (an ERROR_NO_SLOT_AVAILABLE reply, or a
 * connection that never opened), the next one is tried. After a failure that may have created
 * a task upstream (an HTTP 5xx without a protocol body, a timeout, a dropped connection),
 * nothing is sent again, so each upstream gets at most one createTask per task that it may
 * have accepted. Upstream errors keep their code downstream.
 *
 * NOTE: the server runs solvers after its createTask response, so an upstream createTask
 * error (ERROR_ZERO_BALANCE, say) reaches the caller at its next getTaskResult. The caller is
 * charged the server's price table; the upstream's `cost` field is not used.
 *
 * @example
 * const solver = relaySolver({ clientKey: upstreamKey });
 * const server = createTaskServer({ clientKeys: ['team-key'], solvers: solver });
 */
export function relaySolver(options: RelaySolverOptions): Solver {
  const logger = options.logger;
  const timers = options.timers ?? systemTimers;
  const maxPolls = options.maxPolls ?? MAX_POLLS_PER_TASK;
  const createRounds = options.createRounds ?? 3;
  const createRetryDelayMs = options.createRetryDelayMs ?? 1_000;
  const upstreams = ('upstreams' in options ? options.upstreams : [options]).map((upstream) =>
    openUpstream(upstream, options),
  );
  if (upstreams.length === 0) throw new TypeError('relaySolver needs at least one upstream.');

  const types = [...new Set(upstreams.flatMap((upstream) => [...upstream.types]))];

  const createUpstreamTask = async (
    candidates: readonly Upstream[],
    task: Record<string, unknown> & { type: string },
    context: SolveContext,
  ): Promise<CreatedUpstreamTask> => {
    const attempts = translateForEach(candidates, task);
    const failures: string[] = [];
    for (let round = 0; round < createRounds; round++) {
      if (round > 0) {
        await sleep(createRetryDelayMs * 2 ** (round - 1), context.signal, timers);
      }
      for (const { upstream, upstreamTask } of attempts) {
        try {
          const created = await upstream.client.createTask(upstreamTask as unknown as Task, {
            signal: context.signal,
          });
          return { upstream, ...(created as Omit<CreatedUpstreamTask, 'upstream'>) };
        } catch (thrown) {
          if (context.signal.aborted) throw context.signal.reason;
          const error = fromProviderError(upstream.profile, thrown);
          if (!isCaptaskError(error)) throw error;
          const kind = classifyCreateFailure(error);
          const log = { taskId: context.taskId, upstream: upstream.name, code: error.code, kind };
          if (kind === 'final') {
            logger?.warn(log, 'upstream rejected createTask');
            throw error;
          }
          if (kind === 'ambiguous') {
            logger?.error(log, 'upstream createTask failed after sending; not sending again');
            throw new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', {
              description: `Upstream ${upstream.name}: ${error.description} Create a new task to try again.`,
              cause: error,
            });
          }
          logger?.warn(log, 'upstream createTask failed without creating a task; trying the next');
          failures.push(`${upstream.name}: ${error.description}`);
        }
      }
    }
    // The task exists downstream and has failed, so its outcome is a final code. A client
    // that read ERROR_NO_SLOT_AVAILABLE would keep polling a task that can no longer finish.
    throw new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', {
      description: `No upstream accepted the task in ${createRounds} passes; create a new task to try again. Last errors: ${failures.slice(-attempts.length).join(' ')}`,
    });
  };

  const pollUpstream = async (
    created: CreatedUpstreamTask,
    task: Record<string, unknown> & { type: string },
    context: SolveContext,
  ): Promise<Record<string, unknown>> => {
    const { upstream, taskId: upstreamTaskId } = created;
    const result = await upstream.client.waitForResult(upstreamTaskId, task as unknown as Task, {
      signal: context.signal,
      maxPolls,
      ...(options.schedule === undefined ? {} : { schedule: options.schedule }),
      ...(created.longPoll === undefined ? {} : { longPoll: created.longPoll }),
    });
    logger?.debug(
      { taskId: context.taskId, upstream: upstream.name, upstreamTaskId, polls: result.polls },
      'upstream task ready',
    );
    return result.solution as Record<string, unknown>;
  };

  return {
    types,
    async solve(task, context) {
      const canonical = canonicalTaskType(task.type) ?? task.type;
      const candidates = upstreams.filter((upstream) => upstream.types.has(canonical));
      if (candidates.length === 0) {
        throw new CaptaskError('ERROR_TASK_NOT_SUPPORTED', {
          description: `No upstream of this relay handles ${canonical}.`,
        });
      }

      const created = await createUpstreamTask(candidates, task, context);
      const { upstream, taskId: upstreamTaskId } = created;
      logger?.info(
        { taskId: context.taskId, upstream: upstream.name, upstreamTaskId },
        'upstream task created',
      );
      if (created.ready !== undefined) return created.ready;

      try {
        return await pollUpstream(created, { ...task, type: canonical }, context);
      } catch (thrown) {
        if (context.signal.aborted) throw context.signal.reason;
        const error = fromProviderError(upstream.profile, thrown);
        throw describePollFailure(upstream.name, upstreamTaskId, error);
      }
    },
  };
}

/**
 * Rewrites the task for every candidate upstream, dropping those that cannot take it (such as
 * a proxy task for a provider without a proxy variant). Throws the first reason when none can.
 */
function translateForEach(
  candidates: readonly Upstream[],
  task: Record<string, unknown> & { type: string },
): Array<{ upstream: Upstream; upstreamTask: Record<string, unknown> }> {
  const attempts: Array<{ upstream: Upstream; upstreamTask: Record<string, unknown> }> = [];
  let firstError: unknown;
  for (const upstream of candidates) {
    try {
      attempts.push({ upstream, upstreamTask: toProviderTask(upstream.profile, task) });
    } catch (error) {
      firstError ??= error;
    }
  }
  if (attempts.length === 0) throw firstError;
  return attempts;
}

function openUpstream(upstream: UpstreamOptions, options: RelayOptions): Upstream {
  const provider =
    upstream.provider ??
    (upstream.baseUrl === undefined ? 'capmonster' : providerForUrl(upstream.baseUrl));
  const profile = PROVIDERS[provider];
  const baseUrl = upstream.baseUrl ?? profile.baseUrl;
  const supported = Object.keys(profile.types);
  const types = (upstream.types ?? supported).map((type) => canonicalTaskType(type) ?? type);
  const client = createClient({
    clientKey: upstream.clientKey,
    baseUrl,
    fetch: options.fetch,
    clock: options.clock,
    timers: options.timers,
    logger: options.logger,
    requestTimeoutMs: options.requestTimeoutMs,
    // The relay decides failover and repeats, because only the relay has the other upstreams.
    retry: { noSlotRetries: 0 },
  });
  return {
    name: upstream.name ?? new URL(baseUrl).host,
    profile,
    types: new Set(types.filter((type) => supported.includes(type))),
    client,
  };
}
