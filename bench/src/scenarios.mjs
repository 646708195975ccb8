import { seedFromText, truncatedLogNormal } from './random.mjs';

/**
 * Task classes of the polling benchmarks. Solve times are log-normal with the given median
 * and sigma (of the underlying normal, in natural-log units), truncated to `[min, max]`
 * seconds by drawing again. The types are the representative task types of each class.
 */
export const TASK_CLASSES = [
  {
    name: 'image',
    distribution: { median: 1.5, sigma: 0.7, min: 0.3, max: 6 },
    types: ['ImageToTextTask'],
  },
  {
    name: 'token',
    distribution: { median: 15, sigma: 0.55, min: 5, max: 60 },
    types: ['TurnstileTask', 'RecaptchaV2Task'],
  },
  {
    name: 'slow',
    distribution: { median: 45, sigma: 0.7, min: 10, max: 180 },
    types: ['AmazonTask'],
  },
];

/**
 * Type string the official client sends for each benchmarked type: it names reCAPTCHA v2
 * `NoCaptchaTask`, which our server accepts as an alias of RecaptchaV2Task.
 */
export const OFFICIAL_TYPE = {
  ImageToTextTask: 'ImageToTextTask',
  TurnstileTask: 'TurnstileTask',
  RecaptchaV2Task: 'NoCaptchaTask',
  AmazonTask: 'AmazonTask',
};

/**
 * Draws the solve times of a class in milliseconds. The seed comes from the class name and
 * the seed offset, so every type of a class and both clients get the same draws.
 *
 * @param {(typeof TASK_CLASSES)[number]} taskClass
 * @param {{ count: number; seed?: number }} options
 * @returns {number[]}
 */
export function drawSolveTimesMs(taskClass, options) {
  const seed = seedFromText(`${taskClass.name}:${options.seed ?? 1}`);
  const seconds = truncatedLogNormal({ seed, count: options.count, ...taskClass.distribution });
  return seconds.map((value) => Math.round(value * 1000));
}

/**
 * Returns a valid task of the type whose latency key is `key`: `websiteURL` for token types,
 * the image bytes for ImageToTextTask. The benchmark server reads the key back to find the
 * solve time drawn for this task.
 *
 * @param {string} type
 * @param {number} index
 * @returns {Record<string, unknown> & { type: string }}
 */
export function benchTask(type, index) {
  if (type === 'ImageToTextTask') return { type, body: imageBody(index) };
  const websiteURL = latencyUrl(index);
  if (type === 'AmazonTask') {
    return {
      type,
      websiteURL,
      websiteKey: 'bench-site-key',
      challengeScript: 'https://example.test/challenge.js',
      captchaScript: 'https://example.test/captcha.js',
      context: 'bench-context',
      iv: 'bench-iv',
    };
  }
  return { type, websiteURL, websiteKey: 'bench-site-key' };
}

/** Returns the URL that carries a draw index, such as `https://example.test/draw/17`. */
export function latencyUrl(index) {
  return `https://example.test/draw/${index}`;
}

/**
 * Returns base64 bytes that carry a draw index: 300 bytes starting with `draw:<index>;`.
 *
 * @param {number} index
 * @returns {string}
 */
export function imageBody(index) {
  const text = `draw:${index};`.padEnd(300, '.');
  return Buffer.from(text, 'latin1').toString('base64');
}

/**
 * Reads the draw index back from a task as the server stores it, or undefined.
 *
 * @param {Record<string, unknown>} task
 * @returns {number | undefined}
 */
export function drawIndexOf(task) {
  if (typeof task.websiteURL === 'string') {
    const match = /\/draw\/(\d+)$/.exec(task.websiteURL);
    if (match) return Number(match[1]);
  }
  if (typeof task.body === 'string') {
    const head = Buffer.from(task.body.slice(0, 24), 'base64').toString('latin1');
    const match = /^draw:(\d+);/.exec(head);
    if (match) return Number(match[1]);
  }
  return undefined;
}
