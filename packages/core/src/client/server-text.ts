import type { Redactor } from './redact';

/** A protocol error code: upper-case letters, digits and underscores, at most 64 of them. */
const ERROR_CODE_SHAPE = /^[A-Z0-9_]{1,64}$/;
const REDACTED = '[redacted]';
const MAX_STATUS_LENGTH = 32;
const MAX_DESCRIPTION_LENGTH = 1_000;

/*
 * Strings a server sends end up in error messages, `toJSON()`, log lines and, through a relay,
 * in the responses to downstream clients. A hostile or broken server could put the clientKey
 * there, or megabytes of text, so every such string passes through one of these functions.
 */

/**
 * Returns the server's errorCode when it has the shape of a protocol code and contains no
 * secret, else `[redacted]`.
 *
 * @example
 * safeErrorCode('ERROR_ZERO_BALANCE', redactor); // 'ERROR_ZERO_BALANCE'
 */
export function safeErrorCode(errorCode: string, redactor: Redactor): string {
  if (!ERROR_CODE_SHAPE.test(errorCode)) return REDACTED;
  return redactor.text(errorCode) === errorCode ? errorCode : REDACTED;
}

/**
 * Returns a task `status` string without secrets, cut to 32 characters.
 *
 * @example
 * safeStatus(' Processing ', redactor); // ' Processing '
 */
export function safeStatus(status: string, redactor: Redactor): string {
  return truncate(redactor.text(status), MAX_STATUS_LENGTH);
}

/**
 * Returns an errorDescription without secrets, cut to 1 000 characters. Secrets are removed
 * before the cut, so that no part of one survives it.
 */
export function safeDescription(description: string, redactor: Redactor): string {
  return truncate(redactor.text(description), MAX_DESCRIPTION_LENGTH);
}

function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
