/**
 * The best that any list of poll times can do on a sample of solve times, computed exactly by
 * dynamic programming over poll times on a grid. It bounds every polling schedule on that
 * sample, ours and the official one alike. It ignores the 95th percentile and the 120-request
 * limit, so the real optimum can only be worse.
 *
 * A task ready at time T is polled by every poll up to the first one at or after T, so mean
 * requests are the sum, over polls, of the share of tasks still processing at the previous
 * poll. The cost of a list of polls is then a sum over consecutive pairs of polls.
 */

/**
 * Returns the poll times on a `stepMs` grid that minimize `requests + lambda * delay`, with
 * the last poll at or after the slowest draw. Requests are averaged over every draw, delays
 * over the draws whose `countDelay` flag is true (all when it is absent).
 *
 * @param {readonly number[]} solveTimesMs
 * @param {{ stepMs: number; lambda: number; countDelay?: readonly boolean[] }} options
 * @returns {{ requestsMean: number; delayMeanMs: number }}
 */
export function optimalPolls(solveTimesMs, options) {
  const { stepMs, lambda } = options;
  const draws = solveTimesMs
    .map((value, index) => ({ value, weight: options.countDelay?.[index] === false ? 0 : 1 }))
    .sort((a, b) => a.value - b.value);
  const sorted = draws.map((draw) => draw.value);
  const n = sorted.length;
  const delayCount = draws.reduce((sum, draw) => sum + draw.weight, 0) || 1;
  const size = Math.ceil(sorted[n - 1] / stepMs);
  const grid = Array.from({ length: size }, (_, index) => (index + 1) * stepMs);

  // done[g]: draws ready by grid[g]. weights[k] and sums[k]: counted draws among the k
  // fastest, and the sum of their solve times.
  const done = grid.map((time) => upperBound(sorted, time));
  const weights = [0];
  const sums = [0];
  for (const draw of draws) {
    weights.push(weights[weights.length - 1] + draw.weight);
    sums.push(sums[sums.length - 1] + draw.weight * draw.value);
  }
  const waiting = (from, to, time) =>
    ((weights[to] - weights[from]) * time - (sums[to] - sums[from])) / delayCount;

  const best = new Float64Array(size);
  const previous = new Int32Array(size);
  for (let j = 0; j < size; j++) {
    let cost = 1 + lambda * waiting(0, done[j], grid[j]);
    let from = -1;
    for (let i = 0; i < j; i++) {
      const candidate = best[i] + (n - done[i]) / n + lambda * waiting(done[i], done[j], grid[j]);
      if (candidate < cost) {
        cost = candidate;
        from = i;
      }
    }
    best[j] = cost;
    previous[j] = from;
  }

  const polls = [];
  for (let j = size - 1; j >= 0; j = previous[j]) polls.unshift(grid[j]);
  let requests = 0;
  let delay = 0;
  for (const draw of draws) {
    const index = lowerBound(polls, draw.value);
    requests += index + 1;
    delay += draw.weight * (polls[index] - draw.value);
  }
  return { requestsMean: requests / n, delayMeanMs: delay / delayCount };
}

/**
 * Returns lower bounds for every polling schedule on the sample: the fewest mean requests at
 * a mean delay of `delayMeanMs`, and the lowest mean delay at `requestsMean` mean requests.
 * Each is read off the lower convex hull of the optimal points found for a sweep of `lambda`,
 * by linear interpolation between the two hull points around the value.
 *
 * @param {readonly number[]} solveTimesMs
 * @param {{ stepMs: number; delayMeanMs: number; requestsMean: number; countDelay?: readonly boolean[] }} options
 */
export function frontierBounds(solveTimesMs, options) {
  const points = [];
  for (let exponent = -4.5; exponent <= 1; exponent += 0.0625) {
    const lambda = 10 ** exponent;
    points.push(optimalPolls(solveTimesMs, { ...options, lambda }));
  }
  const byDelay = points.sort((a, b) => a.delayMeanMs - b.delayMeanMs);
  return {
    requestsAtDelay: interpolate(byDelay, 'delayMeanMs', 'requestsMean', options.delayMeanMs),
    delayAtRequests: interpolate(
      [...byDelay].sort((a, b) => a.requestsMean - b.requestsMean),
      'requestsMean',
      'delayMeanMs',
      options.requestsMean,
    ),
  };
}

/**
 * Interpolates `y` at `x` between the nearest points on each side. Above the swept range it
 * returns the last value, and below it NaN.
 */
function interpolate(points, xKey, yKey, x) {
  let below;
  let above;
  for (const point of points) {
    if (point[xKey] <= x) below = point;
    else if (above === undefined) above = point;
  }
  if (below === undefined) return Number.NaN;
  if (above === undefined || below[xKey] === x) return below[yKey];
  const share = (x - below[xKey]) / (above[xKey] - below[xKey]);
  return below[yKey] + share * (above[yKey] - below[yKey]);
}

/** @param {readonly number[]} sorted @param {number} value index of the first element > value */
function upperBound(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** @param {readonly number[]} sorted @param {number} value index of the first element >= value */
function lowerBound(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
