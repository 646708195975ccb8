import { createClient } from '@captask/core/client';
import { benchTask } from '../scenarios.mjs';
import { officialTimeouts, replayOfficialSolve } from './official-schedule.mjs';
import { createSimulatedServer } from './simulated-server.mjs';
import { createVirtualTime } from './virtual-time.mjs';

/** Codes with which `solve()` gives up on a task that is still processing. */
const GAVE_UP = new Set(['CLIENT_TIMEOUT', 'CLIENT_POLL_BUDGET_EXHAUSTED']);

/**
 * One simulated task as a client experienced it. `learnedAfterMs` is the time from the task
 * becoming ready to the reply that told the client, undefined when the client gave up.
 *
 * @typedef {{ solveMs: number; requests: number; learnedAfterMs: number | undefined; timedOut: boolean }} TaskOutcome
 */

/**
 * Runs our shipped client's `solve()` for every draw at once, against the simulated server in
 * virtual time, and returns what the server saw per task. `schedule` overrides the default
 * schedule of the type, as a caller of `solve` would. With `longPollMaxWaitMs` the server
 * offers long polling with that maximum hold, which the client uses by default.
 *
 * @param {{ type: string; solveTimesMs: readonly number[]; schedule?: import('@captask/core/client').ScheduleOverride; longPollMaxWaitMs?: number }} options
 * @returns {Promise<TaskOutcome[]>}
 */
export async function runOurClient(options) {
  const { type, solveTimesMs } = options;
  const time = createVirtualTime();
  const server = createSimulatedServer({
    clock: time.clock,
    timers: time.timers,
    touch: time.touch,
    solveTimesMs,
    longPollMaxWaitMs: options.longPollMaxWaitMs,
  });
  const client = createClient({
    clientKey: 'simulated-key',
    // The injected fetch answers every request, so nothing is sent to this address.
    baseUrl: 'http://127.0.0.1:1',
    fetch: server.fetch,
    clock: time.clock,
    timers: time.timers,
  });

  /** @type {(string | undefined)[]} */
  const failures = new Array(solveTimesMs.length);
  let finished = 0;
  for (let index = 0; index < solveTimesMs.length; index++) {
    client
      .solve(/** @type {never} */ (benchTask(type, index)), { schedule: options.schedule })
      .then(
        () => undefined,
        (/** @type {{ code?: string }} */ error) => {
          failures[index] = error?.code ?? String(error);
        },
      )
      .finally(() => {
        finished += 1;
      });
  }
  await time.run({ done: () => finished === solveTimesMs.length });

  return solveTimesMs.map((solveMs, index) => {
    const failure = failures[index];
    if (failure !== undefined && !GAVE_UP.has(failure)) {
      throw new Error(`solve() of draw ${index} (${type}) failed with ${failure}`);
    }
    const task = server.taskOf(index);
    const learnedAfterMs = task.learnedAt === undefined ? undefined : task.learnedAt - task.readyAt;
    return { solveMs, requests: task.polls, learnedAfterMs, timedOut: failure !== undefined };
  });
}

/**
 * Replays the official client's schedule for every draw (see `replayOfficialSolve`).
 *
 * @param {{ officialType: string; solveTimesMs: readonly number[] }} options
 * @returns {TaskOutcome[]}
 */
export function runOfficialClient(options) {
  const timeouts = officialTimeouts(options.officialType);
  return options.solveTimesMs.map((solveMs) => {
    const { requests, learnedAt } = replayOfficialSolve(solveMs, timeouts);
    const learnedAfterMs = learnedAt === undefined ? undefined : learnedAt - solveMs;
    return { solveMs, requests, learnedAfterMs, timedOut: learnedAt === undefined };
  });
}
