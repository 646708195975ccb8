import { createSandboxSolver, createTaskServer } from '@captask/core/server';

/** The client key every throughput request uses. */
export const BENCH_KEY = 'bench-key';

/** Body of the bare routes: the size and shape of a getTaskResult `processing` reply. */
export const BARE_BODY = { errorId: 0, status: 'processing' };

/** Latency of a task whose websiteURL ends in `/hold`, in ms: it stays processing. */
const HOLD_MS = 10 * 60_000;

/** Balance of the bench key, high enough that no createTask load spends it. */
const BALANCE = 1e12;

/**
 * Creates the task server of the throughput runs with the sandbox solver and one key. The
 * key's balance outlasts any load, one task can be polled for the whole run, and tasks in
 * progress per key have no practical limit. A TurnstileTask whose websiteURL ends in `/hold`
 * stays processing, and every other task is solved at once.
 *
 * The Node servers pass `clientKeyDigest` from `@captask/node`, as the CLI and `@captask/express`
 * do; Bun and Deno keep the default, Web Crypto.
 *
 * @param {{ store?: import('@captask/core/server').TaskStore; clientKeyDigest?: import('@captask/core/server').KeyDigest }} [options]
 */
export function createBenchTaskServer(options = {}) {
  return createTaskServer({
    clientKeys: [{ key: BENCH_KEY, balance: BALANCE }],
    clientKeyDigest: options.clientKeyDigest,
    solvers: createSandboxSolver({
      latencyMs: (task) => (String(task.websiteURL).endsWith('/hold') ? HOLD_MS : 0),
    }),
    limits: {
      maxPollsPerTask: 1_000_000_000,
      maxPendingTasksPerAccount: 1_000_000_000,
      solveTimeoutMs: 2 * HOLD_MS,
    },
    ...(options.store === undefined ? {} : { store: options.store }),
  });
}
