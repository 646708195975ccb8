/**
 * Seeded random numbers, so that every run draws the same solve times and both clients
 * face the same draws.
 */

/**
 * Returns a mulberry32 generator: a 32-bit state, uniform floats in [0, 1), the same
 * sequence for the same seed on every platform.
 *
 * @param {number} seed
 * @returns {() => number}
 */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Returns a 32-bit seed derived from a text with FNV-1a, so each scenario name gets its own
 * stream of draws.
 *
 * @param {string} text
 * @returns {number}
 */
export function seedFromText(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Draws from a standard normal distribution with the Box-Muller transform.
 *
 * @param {() => number} random
 * @returns {number}
 */
export function standardNormal(random) {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Draws `count` values from a log-normal distribution with the given median and sigma (of
 * the underlying normal), truncated to `[min, max]`: a value outside is drawn again.
 *
 * @param {{ seed: number; count: number; median: number; sigma: number; min: number; max: number }} options
 * @returns {number[]}
 */
export function truncatedLogNormal(options) {
  const { count, median, sigma, min, max } = options;
  const random = createRandom(options.seed);
  const values = [];
  while (values.length < count) {
    const value = median * Math.exp(sigma * standardNormal(random));
    if (value >= min && value <= max) values.push(value);
  }
  return values;
}
