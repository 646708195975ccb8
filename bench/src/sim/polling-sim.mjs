import { defaultSchedule } from '@captask/core/client';
import { DEFAULT_LONG_POLL_MAX_WAIT_MS } from '@captask/core/gateway';
import { benchTask, drawSolveTimesMs, OFFICIAL_TYPE, TASK_CLASSES } from '../scenarios.mjs';
import { mean } from '../stats.mjs';
import { checkTarget, summarizePair } from './compare.mjs';
import { frontierBounds } from './frontier.mjs';
import { officialTimeouts } from './official-schedule.mjs';
import { runOfficialClient, runOurClient } from './run-clients.mjs';
import { searchSchedule } from './schedule-search.mjs';

/** Seed of the draws that the figures come from. */
export const MAIN_SEED = 1;

/** Seed of independent draws on which a suggested schedule is checked again. */
export const HOLDOUT_SEED = 2;

/** Maximum deadline of a suggested schedule, the same cap as the shipped defaults. */
const MAX_DEADLINE_MS = 270_000;

/** Grid of the poll-time frontier per class, in ms: about 1% of the median solve time. */
const FRONTIER_STEP_MS = { image: 10, token: 50, slow: 100 };

/**
 * Runs the polling simulation: for each task class and type, our shipped `solve()` in virtual
 * time against a simulated server, next to a replay of the official client's schedule, on
 * the same seeded draws. Our client runs twice: against a server without long polling, where
 * it follows its schedule, and against one that offers long polling as captask servers do. For every type or class that misses the target, it searches for data
 * schedule numbers that meet it and checks them on independent draws through `solve()`.
 *
 * @param {{ count: number }} options draws per class
 */
export async function runPollingSimulation(options) {
  const { count } = options;
  const classes = [];
  const fixes = [];

  for (const taskClass of TASK_CLASSES) {
    const solveTimesMs = drawSolveTimesMs(taskClass, { count, seed: MAIN_SEED });
    const types = [];
    for (const type of taskClass.types) {
      const ours = await runOurClient({ type, solveTimesMs });
      const official = runOfficialClient({ officialType: OFFICIAL_TYPE[type], solveTimesMs });
      const pair = summarizePair(ours, official);
      const schedule = defaultSchedule(benchTask(type, 0));
      const target = checkTarget(pair.ours, pair.official);
      const solvedByOfficial = official.map((outcome) => !outcome.timedOut);
      const frontier = frontierBounds(solveTimesMs, {
        stepMs: FRONTIER_STEP_MS[taskClass.name],
        delayMeanMs: mean(
          official.filter((outcome) => !outcome.timedOut).map((o) => o.learnedAfterMs),
        ),
        requestsMean: pair.official.requestsMean,
        countDelay: solvedByOfficial,
      });
      const longPoll = await runOurClient({
        type,
        solveTimesMs,
        longPollMaxWaitMs: DEFAULT_LONG_POLL_MAX_WAIT_MS,
      });
      const longPollPair = summarizePair(longPoll, official);
      const holdout = await runShippedHoldout({ taskClass, type, count });
      types.push({
        type,
        ours,
        official,
        pair,
        target,
        schedule,
        frontier,
        holdout,
        longPoll: {
          ours: longPoll,
          pair: longPollPair,
          target: checkTarget(longPollPair.ours, longPollPair.official),
        },
      });
    }

    const pooled = summarizePair(
      types.flatMap((entry) => entry.ours),
      types.flatMap((entry) => entry.official),
    );
    const target = checkTarget(pooled.ours, pooled.official);
    const pooledLongPoll = summarizePair(
      types.flatMap((entry) => entry.longPoll.ours),
      types.flatMap((entry) => entry.official),
    );
    classes.push({
      name: taskClass.name,
      distribution: taskClass.distribution,
      count,
      pair: pooled,
      target,
      types,
      longPoll: {
        pair: pooledLongPoll,
        target: checkTarget(pooledLongPoll.ours, pooledLongPoll.official),
      },
    });

    for (const entry of types) {
      if (entry.target.met && target.met) continue;
      fixes.push(await suggestSchedule({ taskClass, entry, solveTimesMs, count }));
    }
  }
  return { count, classes, fixes };
}

/**
 * Runs the shipped default schedule of a type and the official client on the independent
 * draws (seed `HOLDOUT_SEED`), so that the shipped figures can be checked off the draws they
 * were chosen on.
 */
async function runShippedHoldout({ taskClass, type, count }) {
  const solveTimesMs = drawSolveTimesMs(taskClass, { count, seed: HOLDOUT_SEED });
  const ours = await runOurClient({ type, solveTimesMs });
  const official = runOfficialClient({ officialType: OFFICIAL_TYPE[type], solveTimesMs });
  const pair = summarizePair(ours, official);
  return { pair, target: checkTarget(pair.ours, pair.official) };
}

/**
 * Searches schedule numbers for one type and checks the best one through `solve()` on the
 * held-out draws.
 */
async function suggestSchedule({ taskClass, entry, solveTimesMs, count }) {
  const { type, official, schedule: shipped } = entry;
  const timeouts = officialTimeouts(OFFICIAL_TYPE[type]);
  // A deadline well past the slowest draw of the class, so no task of the class times out.
  const classMaxMs = taskClass.distribution.max * 1000;
  const deadlineMs = Math.min(
    MAX_DEADLINE_MS,
    Math.max(shipped.deadlineMs, Math.ceil((classMaxMs * 1.5) / 10_000) * 10_000),
  );
  const search = searchSchedule({ solveTimesMs, official, officialTimeouts: timeouts, deadlineMs });

  const holdout = drawSolveTimesMs(taskClass, { count, seed: HOLDOUT_SEED });
  const ours = await runOurClient({ type, solveTimesMs: holdout, schedule: search.schedule });
  const theirs = runOfficialClient({ officialType: OFFICIAL_TYPE[type], solveTimesMs: holdout });
  const pair = summarizePair(ours, theirs);
  return {
    className: taskClass.name,
    type,
    shipped,
    suggested: search.schedule,
    evaluations: search.evaluations,
    searchPair: search.pair,
    searchTarget: search.target,
    holdoutPair: pair,
    holdoutTarget: checkTarget(pair.ours, pair.official),
  };
}
