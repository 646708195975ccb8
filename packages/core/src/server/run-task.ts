import { isTaskOutcomeCode } from '../protocol/error-codes';
import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { releasePendingSlot } from './pending-slots';
import { priceOf } from './pricing';
import { taskResultBody } from './result-body';
import { callHook, isInfoEnabled, type RunningSolve, type ServerContext } from './server-context';
import { refundFailedTask } from './task-billing';
import type { SolveContext, Solver, StoredTask, TaskOutcome } from './types';

/**
 * Starts solving a stored task in the background and returns at once. The solver's signal
 * aborts when the solve deadline passes or the server closes. The task then fails with
 * ERROR_CAPTCHA_UNSOLVABLE, even if the solver ignores the signal.
 */
export function startSolving(context: ServerContext, stored: StoredTask, solver: Solver): void {
  const solve = new Solve(stored.id, context.clock.now() + context.limits.solveTimeoutMs);

  // Whichever comes first, the solver's result or an abort, settles this promise, and the
  // other is ignored. A solver that throws synchronously rejects it too.
  const result = new Promise<unknown>((resolve, reject) => {
    solve.rejectResult = reject;
    const input = { ...stored.task, type: String(stored.task.type ?? stored.type) };
    Promise.resolve(solver.solve(input, new LazySignalContext(solve))).then(resolve, reject);
  });
  // Only these two callbacks wait with the task. The async steps that store the outcome start
  // once the result is in, so no suspended function frame is kept per pending task.
  solve.done = result.then(
    (solution) => storeOutcome(context, stored, solve, { solved: true, value: solution }),
    (error: unknown) => storeOutcome(context, stored, solve, { solved: false, value: error }),
  );
  context.inFlight.set(stored.id, solve);
  if (context.deadlineTimer === undefined) armDeadlineTimer(context, context.limits.solveTimeoutMs);
}

/**
 * Arms the one timer that fails solves past their deadline, to fire after `delayMs`.
 * Every solve gets the same timeout, so the solves in `inFlight`, which keeps creation order,
 * are in deadline order too. One timer waits for the earliest deadline and fails every solve
 * whose deadline has passed. It then waits for the next deadline, so no task has a timer of
 * its own. A clock that steps back can make a later solve's deadline earlier than the first one's,
 * and that solve then fails late, by at most the step.
 */
function armDeadlineTimer(context: ServerContext, delayMs: number): void {
  context.deadlineTimer = context.timers.setTimeout(() => {
    context.deadlineTimer = undefined;
    const now = context.clock.now();
    const timeoutMs = context.limits.solveTimeoutMs;
    for (const solve of context.inFlight.values()) {
      if (!(solve instanceof Solve)) continue;
      if (solve.deadlineAt > now) {
        armDeadlineTimer(context, solve.deadlineAt - now);
        return;
      }
      solve.abort(
        new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', {
          description: `The task was not solved within the ${timeoutMs} ms deadline.`,
          taskId: solve.taskId,
        }),
      );
    }
  }, delayMs);
}

/** Initial value of `Solve.done`, shared so that no task allocates one of its own. */
const settledPromise: Promise<void> = Promise.resolve();

/**
 * A solve in progress. Many thousands may be pending at once, so its method is on the
 * prototype rather than in closures created per task. Its AbortController is made only when
 * the solver reads the signal: a solver that never does, such as the sandbox with no latency,
 * costs none.
 */
class Solve implements RunningSolve {
  /** Rejects the solver's pending result. It is set only while the solver runs. */
  rejectResult: ((reason: unknown) => void) | undefined = undefined;
  done: Promise<void> = settledPromise;
  private controller: AbortController | undefined = undefined;
  private aborted = false;
  private reason: unknown = undefined;

  constructor(
    readonly taskId: number,
    /** Clock time at which the task fails with ERROR_CAPTCHA_UNSOLVABLE. */
    readonly deadlineAt: number,
  ) {}

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    // A repeated abort keeps the first reason, as a signal does.
    if (!this.aborted) {
      this.aborted = true;
      this.reason = reason;
    }
    this.controller?.abort(this.reason);
    // Rejecting directly spares the signal a second listener.
    this.rejectResult?.(this.reason);
  }
}

/**
 * The context a solver gets. Its `signal` is a getter on the prototype. An object literal
 * with a getter made a getter closure and an accessor pair per task, and pending tasks took
 * about 340 bytes more each in a heap measurement of 50,000 of them.
 */
class LazySignalContext implements SolveContext {
  readonly taskId: number;
  readonly #solve: Solve;

  constructor(solve: Solve) {
    this.taskId = solve.taskId;
    this.#solve = solve;
  }

  get signal(): AbortSignal {
    return this.#solve.signal;
  }
}

/** Stores a solve's outcome, then frees the task's slot, and stops the deadline timer when no solve is left. */
async function storeOutcome(
  context: ServerContext,
  stored: StoredTask,
  solve: Solve,
  result: { solved: boolean; value: unknown },
): Promise<void> {
  solve.rejectResult = undefined;
  try {
    if (result.solved) await settleSolved(context, stored, result.value);
    else await settleFailed(context, stored, result.value);
  } catch (error) {
    context.logger.error({ err: error, taskId: stored.id }, 'storing the task outcome failed');
  } finally {
    context.inFlight.delete(stored.id);
    if (context.inFlight.size === 0 && context.deadlineTimer !== undefined) {
      context.timers.clearTimeout(context.deadlineTimer);
      context.deadlineTimer = undefined;
    }
    releasePendingSlot(context, stored.accountId);
  }
}

async function settleSolved(
  context: ServerContext,
  stored: StoredTask,
  solution: unknown,
): Promise<void> {
  if (typeof solution !== 'object' || solution === null || Array.isArray(solution)) {
    const error = new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', {
      description: 'The solver returned no solution object.',
      taskId: stored.id,
    });
    await settleFailed(context, stored, error, true);
    return;
  }
  const current = await context.store.get(stored.id);
  if (current?.state !== 'processing') return;

  // createTask charged the price already, so the solution is paid for.
  const cost = priceOf(context.prices, stored.type);
  await finish(context, stored, {
    status: 'ready',
    solution: solution as Record<string, unknown>,
    cost,
  });
}

async function settleFailed(
  context: ServerContext,
  stored: StoredTask,
  error: unknown,
  report = !isCaptaskError(error),
): Promise<void> {
  const failure = isCaptaskError(error)
    ? error
    : new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', { taskId: stored.id, cause: error });
  if (report) {
    context.logger.error({ err: error, taskId: stored.id, type: stored.type }, 'solver failed');
    callHook(context, 'onError', () =>
      context.hooks.onError?.(failure, { taskId: stored.id, method: 'createTask' }),
    );
  }
  // Client-side codes (a relay's CLIENT_TIMEOUT) and retry signals are no task outcome.
  const wireCode = failure.serverErrorCode ?? failure.code;
  const sendable = isTaskOutcomeCode(wireCode);
  await finish(context, stored, {
    status: 'failed',
    errorCode: sendable ? wireCode : 'ERROR_CAPTCHA_UNSOLVABLE',
    errorDescription: failure.description,
  });
}

async function finish(
  context: ServerContext,
  stored: StoredTask,
  outcome: TaskOutcome,
): Promise<void> {
  const completed = await context.store.complete(stored.id, outcome);
  await refundIfFailed(context, stored, completed, outcome);
  if (!completed) return;
  const completedAt = context.clock.now();
  if (isInfoEnabled(context.logger)) {
    context.logger.info(
      {
        taskId: stored.id,
        type: stored.type,
        outcome: outcome.status === 'ready' ? 'ready' : outcome.errorCode,
        solveMs: completedAt - stored.createdAt,
      },
      'task finished',
    );
  }
  // The rest only feeds a hook or a callback, and most tasks have neither.
  if (context.hooks.onTaskCompleted === undefined && stored.callbackUrl === undefined) return;
  const task: StoredTask = { ...stored, state: outcome.status, outcome, completedAt };
  callHook(context, 'onTaskCompleted', () => context.hooks.onTaskCompleted?.(task));
  // Delivery runs in the background with its own retries and logs its failures itself. Tasks
  // that fail because the server is closing get no callback: the sender is closing too. The
  // body is getTaskResult's plus the task id, so that one receiver URL can serve many tasks.
  if (task.callbackUrl !== undefined && !context.closing) {
    const body = { taskId: task.id, ...taskResultBody(task) };
    void context.callbacks.sender.send(task.callbackUrl, body, { taskId: task.id });
  }
}

/**
 * Refunds a failed task's price. When another party finished the task first (the worker API,
 * on any instance), the stored outcome decides, so a task a worker failed is refunded even when
 * the worker API has no account source.
 */
async function refundIfFailed(
  context: ServerContext,
  stored: StoredTask,
  completed: boolean,
  outcome: TaskOutcome,
): Promise<void> {
  const final = completed ? outcome : ((await context.store.get(stored.id))?.outcome ?? outcome);
  await refundFailedTask(context, stored, final);
}
