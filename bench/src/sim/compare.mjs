import { max, mean, percentile } from '../stats.mjs';

/** Share by which our client must beat the official one on at least one figure. */
export const REQUIRED_GAIN = 0.3;

/** The protocol's per-task limit that no client may exceed. */
export const REQUEST_LIMIT = 120;

/**
 * @typedef {import('./run-clients.mjs').TaskOutcome} TaskOutcome
 * @typedef {{ delayMeanMs: number; delayP95Ms: number; requestsMean: number; requestsMax: number; timeouts: number; tasks: number; compared: number }} Summary
 */

/**
 * Summarizes both clients over the same draws. Delay figures cover only the draws that both
 * clients solved, so a client is not rewarded for giving up on the slow ones; request
 * figures and timeouts cover every draw.
 *
 * @param {readonly TaskOutcome[]} ours
 * @param {readonly TaskOutcome[]} official
 * @returns {{ ours: Summary; official: Summary }}
 */
export function summarizePair(ours, official) {
  if (ours.length !== official.length) throw new Error('Both clients need the same draws.');
  const both = [];
  for (let index = 0; index < ours.length; index++) {
    if (!ours[index].timedOut && !official[index].timedOut) both.push(index);
  }
  return { ours: summarize(ours, both), official: summarize(official, both) };
}

/**
 * @param {readonly TaskOutcome[]} outcomes
 * @param {readonly number[]} compared indices of the draws that both clients solved
 * @returns {Summary}
 */
function summarize(outcomes, compared) {
  const delays = compared.map((index) => /** @type {number} */ (outcomes[index].learnedAfterMs));
  const requests = outcomes.map((outcome) => outcome.requests);
  return {
    delayMeanMs: mean(delays),
    delayP95Ms: percentile(delays, 95),
    requestsMean: mean(requests),
    requestsMax: max(requests),
    timeouts: outcomes.filter((outcome) => outcome.timedOut).length,
    tasks: outcomes.length,
    compared: compared.length,
  };
}

/**
 * Checks the polling target: our client is no worse than the official one on mean delay,
 * 95th-percentile delay, mean requests and timeouts, at least 30% better on mean delay or
 * mean requests, and never above 120 requests per task. Returns the unmet conditions.
 *
 * @param {Summary} ours
 * @param {Summary} official
 * @returns {{ met: boolean; misses: string[] }}
 */
export function checkTarget(ours, official) {
  const misses = [];
  if (ours.delayMeanMs > official.delayMeanMs) misses.push('mean delay above the official');
  if (ours.delayP95Ms > official.delayP95Ms) misses.push('p95 delay above the official');
  if (ours.requestsMean > official.requestsMean) misses.push('mean requests above the official');
  if (ours.timeouts > official.timeouts) misses.push('more timeouts than the official');
  if (ours.requestsMax > REQUEST_LIMIT) misses.push(`more than ${REQUEST_LIMIT} requests`);

  const delayGain = 1 - ours.delayMeanMs / official.delayMeanMs;
  const requestGain = 1 - ours.requestsMean / official.requestsMean;
  if (Math.max(delayGain, requestGain) < REQUIRED_GAIN) {
    misses.push('less than 30% better on both mean delay and mean requests');
  }
  return { met: misses.length === 0, misses };
}
