import { createRequire } from 'node:module';
import { createClient, defaultSchedule } from '@captask/core/client';
import { benchTask } from '../scenarios.mjs';
import { officialTimeouts } from '../sim/official-schedule.mjs';

const require = createRequire(import.meta.url);
const official = require('@zennolab_com/capmonstercloud-client');

/** Our client's default request timeout, in ms, before scaling. */
const REQUEST_TIMEOUT_MS = 20_000;

/**
 * Solves one task with the official client, with its timeouts for the type divided by
 * `scale`. Resolves to whether it got a solution; a Timeout error resolves to false.
 *
 * @param {{ baseUrl: string; clientKey: string; type: string; officialType: string; index: number; scale: number }} options
 * @returns {Promise<boolean>}
 */
export async function solveWithOfficial(options) {
  const client = official.CapMonsterCloudClientFactory.Create(
    new official.ClientOptions({ clientKey: options.clientKey, serviceUrl: options.baseUrl }),
  );
  const timeouts = officialTimeouts(options.officialType);
  const scaled = {
    firstRequestDelay: timeouts.firstRequestDelay / options.scale,
    requestsInterval: timeouts.requestsInterval / options.scale,
    timeout: timeouts.timeout / options.scale,
  };
  const result = await client.Solve(officialRequest(options.type, options.index), scaled);
  if (result.error === official.ErrorType.Timeout) return false;
  if (result.error !== undefined) {
    throw new Error(
      `The official client failed draw ${options.index} (${options.type}) with ${result.error}`,
    );
  }
  return true;
}

/**
 * Solves one task with our client, with the type's default schedule and the request timeout
 * divided by `scale` (growth is a ratio and stays). Resolves to whether it got a solution;
 * CLIENT_TIMEOUT resolves to false.
 *
 * @param {{ baseUrl: string; clientKey: string; type: string; index: number; scale: number; longPoll: boolean }} options
 * @returns {Promise<boolean>}
 */
export async function solveWithOurs(options) {
  const client = createClient({
    clientKey: options.clientKey,
    baseUrl: options.baseUrl,
    longPoll: options.longPoll,
    requestTimeoutMs: REQUEST_TIMEOUT_MS / options.scale,
  });
  const task = benchTask(options.type, options.index);
  try {
    await client.solve(/** @type {never} */ (task), {
      schedule: scaleSchedule(defaultSchedule(task), options.scale),
    });
    return true;
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error)?.code === 'CLIENT_TIMEOUT') return false;
    throw error;
  }
}

/**
 * Divides every time of a data schedule by `scale`.
 *
 * @param {import('@captask/core/client').PollSchedule} schedule
 * @param {number} scale
 */
export function scaleSchedule(schedule, scale) {
  const { firstDelayMs, intervalMs, maxIntervalMs = intervalMs, growth = 0, deadlineMs } = schedule;
  return {
    firstDelayMs: firstDelayMs / scale,
    intervalMs: intervalMs / scale,
    maxIntervalMs: maxIntervalMs / scale,
    growth,
    deadlineMs: deadlineMs / scale,
    ...(schedule.pollTimesMs === undefined
      ? {}
      : { pollTimesMs: schedule.pollTimesMs.map((at) => at / scale) }),
  };
}

/** Builds the official client's request object for the same task as `benchTask`. */
function officialRequest(type, index) {
  const task = benchTask(type, index);
  switch (type) {
    case 'ImageToTextTask':
      return new official.ImageToTextRequest({ body: task.body });
    case 'TurnstileTask':
      return new official.TurnstileRequest({
        websiteURL: task.websiteURL,
        websiteKey: task.websiteKey,
      });
    case 'RecaptchaV2Task':
      return new official.RecaptchaV2Request({
        websiteURL: task.websiteURL,
        websiteKey: task.websiteKey,
      });
    case 'AmazonTask': {
      // The request class sets `type` itself; passing one, even undefined, would replace it.
      const { type: _type, ...fields } = task;
      return new official.AmazonRequest(fields);
    }
    default:
      throw new Error(`No official request class for ${type}`);
  }
}
