import type { ProtocolErrorCode } from '../error-codes';
import { CaptaskError } from '../errors';

/**
 * Picks the error code for an invalid or missing task field. The protocol has no generic
 * "invalid parameter" code, so a field with a code of its own gets that code, because a caller
 * (and the official client) can act on it:
 *
 * | Field | Code |
 * | --- | --- |
 * | `websiteURL` | `ERROR_RECAPTCHA_INVALID_DOMAIN` (also when it is not an absolute http(s) URL) |
 * | `websiteKey`, `websitePublicKey` | `ERROR_RECAPTCHA_INVALID_SITEKEY` |
 * | `userAgent` | `ERROR_WRONG_USERAGENT` |
 * | `proxyType`, `proxyAddress`, `proxyPort`, `proxyLogin`, `proxyPassword` | `ERROR_PROXY_MISSING` |
 * | `body`, `imagesBase64`, `exampleImagesBase64`, a missing image | `ERROR_ZERO_CAPTCHA_FILESIZE` |
 * | an image above the size limit | `ERROR_TOO_BIG_CAPTCHA_FILESIZE` |
 * | any other field, and an unknown `type`, `class`, `cloudflareTaskType` or `version` | `ERROR_TASK_NOT_SUPPORTED` |
 *
 * A missing or non-object `task` is `ERROR_TASK_ABSENT`. Every code here is a caller mistake
 * that a retry of the same request cannot fix, and the description names the field and rule.
 */
export function fieldErrorCode(field: string): ProtocolErrorCode {
  const name = field.startsWith('task.') ? field.slice('task.'.length) : field;
  switch (name) {
    case 'websiteURL':
      return 'ERROR_RECAPTCHA_INVALID_DOMAIN';
    case 'websiteKey':
    case 'websitePublicKey':
      return 'ERROR_RECAPTCHA_INVALID_SITEKEY';
    case 'userAgent':
      return 'ERROR_WRONG_USERAGENT';
    case 'proxyType':
    case 'proxyAddress':
    case 'proxyPort':
    case 'proxyLogin':
    case 'proxyPassword':
      return 'ERROR_PROXY_MISSING';
    case 'body':
    case 'imagesBase64':
    case 'exampleImagesBase64':
      return 'ERROR_ZERO_CAPTCHA_FILESIZE';
    default:
      return 'ERROR_TASK_NOT_SUPPORTED';
  }
}

/** Builds the error for one field; `field` is the path such as `task.metadata.captchaUrl`. */
export function fieldError(
  field: string,
  description: string,
  code: ProtocolErrorCode = fieldErrorCode(field),
): CaptaskError {
  return new CaptaskError(code, { description, details: { field } });
}

/** Quotes a value the caller sent for an error description, cut to 64 characters. */
export function quoteValue(value: string): string {
  const cut = value.length > 64 ? `${value.slice(0, 64)}...` : value;
  return JSON.stringify(cut);
}

/**
 * Names the JSON type of a value with its article for an error description, as in "got a
 * string": `a string`, `an integer`, `a number`, `a boolean`, `an array`, `an object`, `null`.
 */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'an integer';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
