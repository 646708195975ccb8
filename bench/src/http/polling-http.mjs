import { drawSolveTimesMs, OFFICIAL_TYPE, TASK_CLASSES } from '../scenarios.mjs';
import { max, mean, percentile } from '../stats.mjs';
import { solveWithOfficial, solveWithOurs } from './http-clients.mjs';
import { startLoopbackServer } from './loopback-server.mjs';

/** Clients of the loopback run, by the client key each one uses. */
const CLIENTS = {
  'bench-official': 'official',
  'bench-ours': 'ours',
  'bench-ours-long-poll': 'ours, long polling',
};

/** Our server's default maximum hold of a long poll, in ms, before scaling. */
const LONG_POLL_MAX_WAIT_MS = 20_000;

/**
 * Runs the official client, our client on its schedule and our client with long polling
 * against our sandbox server over loopback HTTP, type by type. Each client solves the first
 * `count` draws of every class (the same draws as the simulation) at once. Every latency,
 * schedule, timeout and long-poll hold is divided by `scale`.
 *
 * @param {{ count: number; scale: number; log?: (message: string) => void }} options
 */
export async function runLoopbackPolling(options) {
  const { count, scale } = options;
  const rows = [];
  for (const taskClass of TASK_CLASSES) {
    const solveTimesMs = drawSolveTimesMs(taskClass, { count });
    for (const type of taskClass.types) {
      const started = performance.now();
      rows.push({
        className: taskClass.name,
        type,
        clients: await runType({ type, solveTimesMs, count, scale }),
      });
      options.log?.(`${type}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  return { count, scale, rows, clients: Object.values(CLIENTS) };
}

async function runType({ type, solveTimesMs, count, scale }) {
  const server = await startLoopbackServer({
    clients: CLIENTS,
    latencyOf: (index) => solveTimesMs[index] / scale,
    longPollMaxWaitMs: LONG_POLL_MAX_WAIT_MS / scale,
  });
  try {
    const solved = {};
    const runs = [];
    for (const [clientKey, client] of Object.entries(CLIENTS)) {
      solved[client] = new Array(count);
      for (let index = 0; index < count; index++) {
        const common = { baseUrl: server.url, clientKey, type, index, scale };
        const run =
          client === 'official'
            ? solveWithOfficial({ ...common, officialType: OFFICIAL_TYPE[type] })
            : solveWithOurs({ ...common, longPoll: client !== 'ours' });
        runs.push(run.then((ok) => (solved[client][index] = ok)));
      }
    }
    await Promise.all(runs);
    return summarize(server, solved, count);
  } finally {
    await server.close();
  }
}

/**
 * Summarizes what the server saw per client. Delays cover the draws that every client solved;
 * requests and timeouts cover every draw.
 */
function summarize(server, solved, count) {
  const clients = Object.keys(solved);
  const everyone = [];
  for (let index = 0; index < count; index++) {
    if (clients.every((client) => solved[client][index])) everyone.push(index);
  }

  const result = {};
  for (const client of clients) {
    const byIndex = new Map(server.recordsOf(client).map((record) => [record.index, record]));
    const delays = everyone.map((index) => {
      const record = byIndex.get(index);
      return Math.max(0, record.learnedAt - record.solvedAt);
    });
    const requests = [...byIndex.values()].map((record) => record.polls);
    result[client] = {
      delayMeanMs: mean(delays),
      delayP95Ms: percentile(delays, 95),
      requestsMean: mean(requests),
      requestsMax: max(requests),
      timeouts: solved[client].filter((ok) => !ok).length,
      compared: everyone.length,
    };
  }
  return result;
}
