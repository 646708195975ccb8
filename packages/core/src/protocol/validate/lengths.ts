import type { CaptaskError } from '../errors';
import { fieldError } from './field-errors';
import { type JsonObject, readPath } from './keys';

const URL_MAX = 8_192;
const IDENTIFIER_MAX = 1_024;
const HOST_MAX = 255;

/**
 * Default maximum lengths of task string fields that have a natural bound, in characters
 * (JavaScript string length), keyed by canonical field path. They are generous: URLs get
 * 8 KiB, about the request-line limit of Apache (8,190 bytes), user agents 2 KiB, site keys, actions
 * and proxy credentials 1 KiB, host names 255. Fields without an entry, such as images, HTML
 * and scripts, are bounded only by the request body limit.
 */
export const DEFAULT_MAX_FIELD_LENGTHS: Readonly<Record<string, number>> = {
  websiteURL: URL_MAX,
  'metadata.captchaUrl': URL_MAX,
  'metadata.incapsulaScriptUrl': URL_MAX,
  'metadata.wUrl': URL_MAX,
  'metadata.swUrl': URL_MAX,
  apiJsUrl: URL_MAX,
  userAgent: 2_048,
  websiteKey: IDENTIFIER_MAX,
  websitePublicKey: IDENTIFIER_MAX,
  pageAction: IDENTIFIER_MAX,
  gt: IDENTIFIER_MAX,
  proxyLogin: IDENTIFIER_MAX,
  proxyPassword: IDENTIFIER_MAX,
  proxyAddress: HOST_MAX,
  apiDomain: HOST_MAX,
  geetestApiServerSubdomain: HOST_MAX,
  funcaptchaApiJSSubdomain: HOST_MAX,
  yidunApiServerSubdomain: HOST_MAX,
};

/**
 * Merges caller limits over the defaults. Throws a RangeError for a limit that is not a
 * positive integer or `Infinity`, which removes the limit of that field.
 */
export function resolveFieldLengths(
  overrides: Readonly<Record<string, number>> | undefined,
): Readonly<Record<string, number>> {
  if (overrides === undefined) return DEFAULT_MAX_FIELD_LENGTHS;
  for (const [path, max] of Object.entries(overrides)) {
    if (max === Number.POSITIVE_INFINITY || (Number.isInteger(max) && max > 0)) continue;
    throw new RangeError(
      `Invalid maxFieldLengths entry ${path}: ${max}; use a positive integer or Infinity`,
    );
  }
  return { ...DEFAULT_MAX_FIELD_LENGTHS, ...overrides };
}

/** Checks string fields against their maximum lengths. */
export function checkFieldLengths(
  task: JsonObject,
  limits: Readonly<Record<string, number>>,
): CaptaskError | undefined {
  for (const [path, max] of entriesOf(limits)) {
    const { value } = readPath(task, path);
    if (typeof value !== 'string' || value.length <= max) continue;
    return fieldError(
      `task.${path}`,
      `task.${path} has ${value.length} characters; the maximum is ${max}`,
    );
  }
  return undefined;
}

/** The default table's entries, listed once because most servers keep the defaults. */
const DEFAULT_ENTRIES = Object.entries(DEFAULT_MAX_FIELD_LENGTHS);

function entriesOf(limits: Readonly<Record<string, number>>): ReadonlyArray<[string, number]> {
  return limits === DEFAULT_MAX_FIELD_LENGTHS ? DEFAULT_ENTRIES : Object.entries(limits);
}
