// Child process of the memory benchmark, started with --expose-gc. Usage:
//   node --expose-gc measure.mjs <baseline|store|server|solved> <count>
// Prints one JSON line with heap and RSS before and after creating `count` tasks.
import { createMemoryStore, createSandboxSolver, createTaskServer } from '@captask/core/server';

const mode = process.argv[2];
const count = Number(process.argv[3]);
const KEY = 'memory-bench-key';

/** A token task as a caller sends it, with a distinct URL per task. */
const tokenTask = (index) => ({
  type: 'TurnstileTask',
  websiteURL: `https://example.test/login?attempt=${index}`,
  websiteKey: '0x4AAAAAAAbenchSiteKey',
});

function snapshot() {
  globalThis.gc();
  globalThis.gc();
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss };
}

async function fillBaseline() {
  const map = new Map();
  for (let index = 0; index < count; index++) {
    map.set(2 ** 31 + index, {
      id: 2 ** 31 + index,
      state: 'processing',
      polls: 0,
      createdAt: Date.now(),
    });
  }
  return map;
}

async function fillStore() {
  const store = createMemoryStore({ sweepIntervalMs: 0 });
  for (let index = 0; index < count; index++) {
    await store.create({ accountId: 'account-1', type: 'TurnstileTask', task: tokenTask(index) });
  }
  return store;
}

/**
 * Creates the tasks through the server handler. With `latencyMs` of 10 minutes (and the same
 * solve deadline) every task stays pending while it is measured. With 0 the sandbox solves each
 * at once and the server keeps its result. The balance and the per-key limit of tasks in
 * progress admit all of them.
 */
async function fillServer(latencyMs) {
  const server = createTaskServer({
    clientKeys: [{ key: KEY, balance: 1e12 }],
    solvers: createSandboxSolver({ latencyMs }),
    limits: { solveTimeoutMs: 600_000, maxPendingTasksPerAccount: count },
  });
  for (let index = 0; index < count; index++) {
    const request = new Request('http://127.0.0.1/createTask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientKey: KEY, task: tokenTask(index) }),
    });
    const reply = await (await server(request)).json();
    if (reply.errorId !== 0)
      throw new Error(`createTask ${index} failed: ${JSON.stringify(reply)}`);
  }
  // Solved mode: wait until every result is stored. Pending solves are left running.
  if (latencyMs === 0) await server.idle();
  return server;
}

const fill = {
  baseline: fillBaseline,
  store: fillStore,
  server: () => fillServer(600_000),
  solved: () => fillServer(0),
}[mode];
if (fill === undefined) {
  throw new Error(`Unknown mode ${mode}; use baseline, store, server or solved.`);
}

const before = snapshot();
const kept = await fill();
const after = snapshot();
console.log(
  JSON.stringify({ mode, count, before, after, kept: kept.size ?? kept.store !== undefined }),
);
process.exit(0);
