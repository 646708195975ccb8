import { MAX_POLLS_PER_TASK, plannedPollTimes, resolvePlan } from '@captask/core/client';
import { checkTarget, REQUEST_LIMIT, REQUIRED_GAIN, summarizePair } from './compare.mjs';

/**
 * Computes what our polling engine does for each draw under a schedule, from the planned
 * poll times of the shipped schedule code (`resolvePlan` and `plannedPollTimes`) instead of
 * running `solve()`. With instant replies the two agree; the smoke test checks that.
 *
 * @param {import('@captask/core/client').PollSchedule} schedule
 * @param {readonly number[]} solveTimesMs
 * @returns {import('./run-clients.mjs').TaskOutcome[]}
 */
export function evaluateSchedule(schedule, solveTimesMs) {
  const times = plannedPollTimes(resolvePlan(schedule, [], MAX_POLLS_PER_TASK));
  return solveTimesMs.map((solveMs) => {
    const index = firstAtOrAfter(times, solveMs);
    if (index === times.length) {
      return { solveMs, requests: times.length, learnedAfterMs: undefined, timedOut: true };
    }
    return {
      solveMs,
      requests: index + 1,
      learnedAfterMs: times[index] - solveMs,
      timedOut: false,
    };
  });
}

/**
 * Searches data schedules (`firstDelayMs`, `intervalMs`, `growth`, `maxIntervalMs` with a
 * fixed `deadlineMs`) for one that meets the polling target: a grid around the official
 * client's numbers, then coordinate descent from the best grid points. Candidates are ranked
 * by how far they miss the target, then by the sum of their ratios to the official figures
 * (mean delay and mean requests). Returns the best candidate, met or not.
 *
 * @param {{
 *   solveTimesMs: readonly number[];
 *   official: readonly import('./run-clients.mjs').TaskOutcome[];
 *   officialTimeouts: { firstRequestDelay: number; requestsInterval: number };
 *   deadlineMs: number;
 * }} options
 */
export function searchSchedule(options) {
  const { solveTimesMs, official, deadlineMs } = options;
  let evaluations = 0;
  const rate = (schedule) => {
    evaluations += 1;
    const pair = summarizePair(evaluateSchedule(schedule, solveTimesMs), official);
    return { schedule, pair, target: checkTarget(pair.ours, pair.official), score: scoreOf(pair) };
  };

  const baseFirst = options.officialTimeouts.firstRequestDelay;
  const baseInterval = options.officialTimeouts.requestsInterval;
  const minSolve = Math.min(...solveTimesMs);
  const firstDelays = [0.8, 1, 1.5, 2, 3, 5]
    .map((factor) => baseFirst * factor)
    .concat([0.6, 0.8, 1].map((factor) => minSolve * factor));

  const grid = [];
  for (const firstDelayMs of firstDelays) {
    for (const intervalFactor of [0.5, 0.75, 1, 1.5]) {
      for (const growth of [0, 0.02, 0.05, 0.1, 0.2]) {
        for (const maxFactor of growth === 0 ? [1] : [1.5, 3, 10]) {
          const intervalMs = baseInterval * intervalFactor;
          grid.push(
            rate(
              tidy({
                firstDelayMs,
                intervalMs,
                growth,
                maxIntervalMs: intervalMs * maxFactor,
                deadlineMs,
              }),
            ),
          );
        }
      }
    }
  }
  grid.sort((a, b) => a.score - b.score);

  let best = grid[0];
  for (const start of grid.slice(0, 5)) {
    const found = descend(start, rate);
    if (found.score < best.score) best = found;
  }
  const rounded = rate(roundSchedule(best.schedule));
  if (rounded.score <= best.score || (rounded.target.met && best.target.met)) best = rounded;
  return { ...best, evaluations };
}

/** Rounds the times and the growth to two significant digits, which is easier to read. */
function roundSchedule(schedule) {
  return tidy({
    ...schedule,
    firstDelayMs: twoDigits(schedule.firstDelayMs),
    intervalMs: twoDigits(schedule.intervalMs),
    growth: twoDigits(schedule.growth),
    maxIntervalMs: twoDigits(schedule.maxIntervalMs),
  });
}

/** @param {number} value */
function twoDigits(value) {
  if (value === 0) return 0;
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(value))) - 1);
  return Math.round(value / unit) * unit;
}

/**
 * Coordinate descent: scales one field at a time by `1 ± step`, keeps any improvement and
 * halves the step when none is left, down to a 1% step.
 */
function descend(start, rate) {
  const fields = ['firstDelayMs', 'intervalMs', 'growth', 'maxIntervalMs'];
  let current = start;
  for (let step = 0.4; step >= 0.01; ) {
    let improved = false;
    for (const field of fields) {
      for (const factor of [1 - step, 1 + step]) {
        const value =
          current.schedule[field] === 0 && field === 'growth'
            ? step / 10
            : current.schedule[field] * factor;
        const candidate = rate(tidy({ ...current.schedule, [field]: value }));
        if (candidate.score < current.score) {
          current = candidate;
          improved = true;
        }
      }
    }
    if (!improved) step /= 2;
  }
  return current;
}

/**
 * Scores a pair by how far it misses the target, plus a small share of its ratios, so lower
 * is better whether or not the target is met. Any timeout of ours counts as a miss.
 */
function scoreOf({ ours, official }) {
  const delay = ours.delayMeanMs / official.delayMeanMs;
  const p95 = ours.delayP95Ms / official.delayP95Ms;
  const requests = ours.requestsMean / official.requestsMean;
  const miss =
    Math.max(0, delay - 1) +
    Math.max(0, p95 - 1) +
    Math.max(0, requests - 1) +
    Math.max(0, Math.min(delay, requests) - (1 - REQUIRED_GAIN)) +
    // A suggestion must solve every draw, even where the official client gives up.
    ours.timeouts / ours.tasks +
    (ours.requestsMax > REQUEST_LIMIT ? 1 : 0);
  return miss * 10 + (delay + requests) / 100;
}

/**
 * Rounds a schedule to whole 10 ms and a growth step of 0.005. Without growth the maximum
 * interval has no effect, so it is set to the interval.
 */
function tidy(schedule) {
  const intervalMs = Math.max(10, Math.round(schedule.intervalMs / 10) * 10);
  const growth = Math.max(0, Math.round(schedule.growth * 200) / 200);
  const maxIntervalMs = Math.max(intervalMs, Math.round(schedule.maxIntervalMs / 10) * 10);
  return {
    firstDelayMs: Math.max(10, Math.round(schedule.firstDelayMs / 10) * 10),
    intervalMs,
    growth,
    maxIntervalMs: growth === 0 ? intervalMs : maxIntervalMs,
    deadlineMs: schedule.deadlineMs,
  };
}

/** @param {readonly number[]} sorted @param {number} value */
function firstAtOrAfter(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
