import { drawIndexOf } from '../scenarios.mjs';

/** The protocol's limit of getTaskResult requests per task, as real services enforce it. */
const MAX_POLLS_PER_TASK = 120;

/**
 * @typedef {{ readyAt: number; createdAt: number; polls: number; learnedAt: number | undefined }} SimulatedTask
 */

/**
 * Creates a protocol server in simulated time, as a `fetch` function for the client. A task
 * becomes ready `solveTimesMs[index]` after its createTask request, where `index` is the
 * draw index carried in the task (see `benchTask`). The server counts getTaskResult requests
 * per task and records when it first sent the ready reply. Replies arrive instantly.
 *
 * With `longPollMaxWaitMs` above 0 it behaves like a captask server with long polling: the
 * createTask reply announces the maximum hold, and a getTaskResult body with
 * `"captask": { "waitMs": n }` is held until the task is ready or the hold ends.
 *
 * @param {{ clock: { now: () => number }; timers: { setTimeout(callback: () => void, ms: number): unknown }; touch: () => void; solveTimesMs: readonly number[]; longPollMaxWaitMs?: number }} options
 */
export function createSimulatedServer(options) {
  const { touch, solveTimesMs, timers } = options;
  const now = options.clock.now;
  const maxWaitMs = options.longPollMaxWaitMs ?? 0;
  const announcement = maxWaitMs > 0 ? { captask: { longPoll: { maxWaitMs } } } : {};
  /** @type {Map<number, SimulatedTask>} */
  const tasks = new Map();
  /** @type {SimulatedTask[]} */
  const byIndex = [];
  let nextId = 1_000_000;

  /** @param {string} url @param {RequestInit} init */
  const fetch = async (url, init) => {
    touch();
    const method = url.slice(url.lastIndexOf('/') + 1);
    const body = JSON.parse(String(init.body));

    if (method === 'createTask') {
      const index = drawIndexOf(body.task);
      if (index === undefined || solveTimesMs[index] === undefined) {
        return reply({ errorId: 1, errorCode: 'ERROR_TASK_NOT_SUPPORTED' });
      }
      const taskId = nextId++;
      const task = {
        createdAt: now(),
        readyAt: now() + solveTimesMs[index],
        polls: 0,
        learnedAt: undefined,
      };
      tasks.set(taskId, task);
      byIndex[index] = task;
      return reply({ errorId: 0, taskId, ...announcement });
    }

    if (method === 'getTaskResult') {
      const task = tasks.get(body.taskId);
      if (task === undefined) return reply({ errorId: 1, errorCode: 'ERROR_NO_SUCH_CAPCHA_ID' });
      task.polls += 1;
      if (task.polls > MAX_POLLS_PER_TASK) {
        return reply({ errorId: 1, errorCode: 'ERROR_TOO_MUCH_REQUESTS' });
      }
      const waitMs = Math.min(maxWaitMs, Number(body.captask?.waitMs) || 0);
      if (now() < task.readyAt && waitMs > 0) {
        const holdMs = Math.min(waitMs, task.readyAt - now());
        await new Promise((resolve) => timers.setTimeout(resolve, holdMs));
      }
      if (now() < task.readyAt) return reply({ errorId: 0, status: 'processing' });
      task.learnedAt ??= now();
      return reply({ errorId: 0, status: 'ready', solution: { token: 'simulated' } });
    }

    return reply({ errorId: 1, errorCode: 'ERROR_NO_SUCH_METHOD' });
  };

  return {
    fetch,
    /** Returns the server's record of the task created for a draw index. */
    taskOf: (/** @type {number} */ index) => byIndex[index],
  };
}

/** @param {Record<string, unknown>} body */
function reply(body) {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}
