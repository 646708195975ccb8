import { createServer } from 'node:http';
import { createSandboxSolver, createTaskServer } from '@captask/core/server';
import { createNodeListener } from '@captask/node';
import { drawIndexOf } from '../scenarios.mjs';

/**
 * @typedef {{ client: string; type: string; index: number; polls: number; solvedAt: number | undefined; learnedAt: number | undefined }} TaskRecord
 */

/**
 * Starts our server in sandbox mode on 127.0.0.1 with a random port, behind `node:http` and
 * `createNodeListener`. The sandbox solves a task after `latencyOf(drawIndex)` ms, where the
 * draw index comes from the task (see `benchTask`). A wrapper around the handler counts
 * getTaskResult requests per task and records, with `performance.now()`, when the solver
 * finished and when the server first sent the ready reply. Each client uses its own key,
 * which `clients` maps to the client's name.
 *
 * @param {{ clients: Record<string, string>; latencyOf: (index: number) => number; longPollMaxWaitMs: number }} options
 */
export async function startLoopbackServer(options) {
  /** @type {Map<number, TaskRecord>} */
  const tasks = new Map();
  /** @type {Map<number, number>} */
  const solvedAt = new Map();

  const sandbox = createSandboxSolver({
    latencyMs: (task) => options.latencyOf(/** @type {number} */ (drawIndexOf(task))),
  });
  const solver = {
    async solve(task, context) {
      const solution = await sandbox.solve(task, context);
      solvedAt.set(context.taskId, performance.now());
      return solution;
    },
  };
  const taskServer = createTaskServer({
    clientKeys: Object.keys(options.clients),
    solvers: solver,
    longPoll: { maxWaitMs: options.longPollMaxWaitMs },
  });

  /** @param {Request} request */
  const handler = async (request) => {
    const method = new URL(request.url).pathname.split('/').pop();
    const text = await request.clone().text();
    const response = await taskServer(request);
    if (method !== 'createTask' && method !== 'getTaskResult') return response;

    const body = JSON.parse(text);
    const reply = await response.clone().json();
    if (method === 'createTask' && reply.errorId === 0) {
      const client = options.clients[body.clientKey] ?? 'unknown';
      const index = /** @type {number} */ (drawIndexOf(body.task));
      tasks.set(reply.taskId, {
        client,
        type: body.task.type,
        index,
        polls: 0,
        solvedAt: undefined,
        learnedAt: undefined,
      });
    }
    const record = tasks.get(Number(body.taskId));
    if (method === 'getTaskResult' && record !== undefined) {
      record.polls += 1;
      if (reply.status === 'ready' && record.learnedAt === undefined) {
        record.learnedAt = performance.now();
        record.solvedAt = solvedAt.get(Number(body.taskId));
      }
    }
    return response;
  };

  const server = createServer(createNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    /** Returns the records of the tasks a client created. */
    recordsOf: (/** @type {string} */ client) =>
      [...tasks.values()].filter((task) => task.client === client),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await taskServer.close();
    },
  };
}
