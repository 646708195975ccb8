import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The official client's polling table (`detectResultTimeouts` of
 * @zennolab_com/capmonstercloud-client 2.6.1), read from the package itself so that the
 * replay uses its real numbers. The package does not export it from its entry point.
 */
const {
  detectResultTimeouts,
} = require('@zennolab_com/capmonstercloud-client/dist/GetResultTimeouts.js');

/**
 * Returns the official client's timeouts for a type string it sends, in milliseconds:
 * `firstRequestDelay`, `requestsInterval`, `timeout` and, for most token types,
 * `firstRequestNoCacheDelay`.
 *
 * @param {string} officialType such as `NoCaptchaTask`
 * @returns {{ firstRequestDelay: number; firstRequestNoCacheDelay?: number; requestsInterval: number; timeout: number }}
 */
export function officialTimeouts(officialType) {
  return detectResultTimeouts({ type: officialType });
}

/**
 * Replays the official client's `Solve` loop for a task that becomes ready `solveMs` after
 * the createTask reply, with replies that arrive instantly. The client sleeps
 * `firstRequestDelay` (or `firstRequestNoCacheDelay` with `nocache`), then sends getTaskResult
 * every `requestsInterval` until a reply is ready or `timeout` has passed since the first
 * request, and then returns a Timeout error. A request due exactly at the timeout is not
 * sent, because the timeout timer was set first.
 *
 * @param {number} solveMs
 * @param {{ firstRequestDelay: number; firstRequestNoCacheDelay?: number; requestsInterval: number; timeout: number }} timeouts
 * @param {{ nocache?: boolean }} [options]
 * @returns {{ requests: number; learnedAt: number | undefined }}
 */
export function replayOfficialSolve(solveMs, timeouts, options = {}) {
  const first =
    options.nocache === true && timeouts.firstRequestNoCacheDelay !== undefined
      ? timeouts.firstRequestNoCacheDelay
      : timeouts.firstRequestDelay;
  const interval = timeouts.requestsInterval;

  let requests = 0;
  for (let sinceFirst = 0; sinceFirst < timeouts.timeout; sinceFirst += interval) {
    const at = first + sinceFirst;
    requests += 1;
    if (at >= solveMs) return { requests, learnedAt: at };
  }
  return { requests, learnedAt: undefined };
}
