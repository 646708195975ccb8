/**
 * The protocol's error codes: the 27 strings that CapMonster Cloud documents for `errorCode`,
 * including the alias `WRONG_CAPTCHA_ID` and the historical spelling `ERROR_NO_SUCH_CAPCHA_ID`.
 */
export const PROTOCOL_ERROR_CODES = [
  'ERROR_KEY_DOES_NOT_EXIST',
  'ERROR_ZERO_BALANCE',
  'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
  'ERROR_ZERO_CAPTCHA_FILESIZE',
  'ERROR_NO_SUCH_CAPCHA_ID',
  'WRONG_CAPTCHA_ID',
  'ERROR_CAPTCHA_UNSOLVABLE',
  'CAPTCHA_NOT_READY',
  'ERROR_IP_NOT_ALLOWED',
  'ERROR_IP_BANNED',
  'ERROR_NO_SUCH_METHOD',
  'ERROR_TOO_MUCH_REQUESTS',
  'ERROR_DOMAIN_NOT_ALLOWED',
  'ERROR_TOKEN_EXPIRED',
  'ERROR_NO_SLOT_AVAILABLE',
  'ERROR_RECAPTCHA_INVALID_SITEKEY',
  'ERROR_RECAPTCHA_INVALID_DOMAIN',
  'ERROR_RECAPTCHA_TIMEOUT',
  'ERROR_IP_BLOCKED',
  'ERROR_PROXY_CONNECT_REFUSED',
  'ERROR_PROXY_BANNED',
  'ERROR_PROXY_MISSING',
  'ERROR_PROXY_NOT_AUTHORISED',
  'ERROR_PROXY_READ_TIMEOUT',
  'ERROR_TASK_NOT_SUPPORTED',
  'ERROR_TASK_ABSENT',
  'ERROR_WRONG_USERAGENT',
] as const;

export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

/**
 * Codes that only a client produces, never a server: its own deadline passed, the network or
 * the server's HTTP layer failed, the reply was not protocol JSON, the caller aborted, or the
 * server sent an `errorCode` outside the catalogue.
 */
export const CLIENT_ERROR_CODES = [
  'CLIENT_TIMEOUT',
  'CLIENT_NETWORK_ERROR',
  'CLIENT_HTTP_ERROR',
  'CLIENT_INVALID_RESPONSE',
  'CLIENT_ABORTED',
  'CLIENT_POLL_BUDGET_EXHAUSTED',
  'UNKNOWN_ERROR_CODE',
] as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type ErrorCode = ProtocolErrorCode | ClientErrorCode;

/**
 * Error classes: `caller` (a mistake in the request), `account` (key, funds, IP or policy),
 * `transient` (service or network, may pass), `progress` (not an error: still solving),
 * `outcome` (the task ended without a solution) and `client` (raised by the client itself).
 */
export type ErrorClass = 'caller' | 'account' | 'transient' | 'progress' | 'outcome' | 'client';

export interface ErrorCodeInfo {
  /** Party or condition the error belongs to. */
  readonly class: ErrorClass;
  /**
   * Whether repeating the same request later can succeed. For task outcomes this is about
   * creating a new task with the same input, never about polling the failed task again.
   */
  readonly retryable: boolean;
  /** Default `errorDescription` a server sends with the code. */
  readonly description: string;
}

/** One entry per code: its class, whether a retry can help, and a default description. */
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, ErrorCodeInfo>> = {
  ERROR_KEY_DOES_NOT_EXIST: {
    class: 'account',
    retryable: false,
    description: 'The API key does not exist, is inactive or is malformed.',
  },
  ERROR_ZERO_BALANCE: {
    class: 'account',
    retryable: false,
    description: 'The account balance is too low for this task.',
  },
  ERROR_TOO_BIG_CAPTCHA_FILESIZE: {
    class: 'caller',
    retryable: false,
    description: 'The image is larger than the maximum size.',
  },
  ERROR_ZERO_CAPTCHA_FILESIZE: {
    class: 'caller',
    retryable: false,
    description: 'The image is smaller than the minimum size or empty.',
  },
  ERROR_NO_SUCH_CAPCHA_ID: {
    class: 'caller',
    retryable: false,
    description: 'No task with this id exists for this key, or its result has expired.',
  },
  WRONG_CAPTCHA_ID: {
    class: 'caller',
    retryable: false,
    description: 'No task with this id exists for this key, or its result has expired.',
  },
  ERROR_CAPTCHA_UNSOLVABLE: {
    class: 'outcome',
    retryable: true,
    description: 'The captcha could not be solved.',
  },
  CAPTCHA_NOT_READY: {
    class: 'progress',
    retryable: true,
    description: 'The task is still being solved.',
  },
  ERROR_IP_NOT_ALLOWED: {
    class: 'account',
    retryable: false,
    description: 'Requests from this IP address are not allowed for this key.',
  },
  ERROR_IP_BANNED: {
    class: 'account',
    retryable: false,
    description: 'This IP address is banned after too many requests with invalid keys.',
  },
  ERROR_NO_SUCH_METHOD: {
    class: 'caller',
    retryable: false,
    description: 'The method does not exist.',
  },
  ERROR_TOO_MUCH_REQUESTS: {
    class: 'caller',
    retryable: true,
    description: 'Too many result requests for this task.',
  },
  ERROR_DOMAIN_NOT_ALLOWED: {
    class: 'account',
    retryable: false,
    description: 'Captchas from this domain are not accepted.',
  },
  ERROR_TOKEN_EXPIRED: {
    // A stale one-time input such as GeeTest's challenge: the caller's mistake, fixed by a new
    // task with a fresh value.
    class: 'caller',
    retryable: true,
    description: 'The one-time token in the task has expired; create a new task with a fresh one.',
  },
  ERROR_NO_SLOT_AVAILABLE: {
    class: 'transient',
    retryable: true,
    description: 'No solver capacity is available; retry later with backoff.',
  },
  ERROR_RECAPTCHA_INVALID_SITEKEY: {
    class: 'caller',
    retryable: false,
    description: 'The websiteKey is invalid.',
  },
  ERROR_RECAPTCHA_INVALID_DOMAIN: {
    class: 'caller',
    retryable: false,
    description: 'The websiteURL does not match the site key or is not a full http(s) URL.',
  },
  ERROR_RECAPTCHA_TIMEOUT: {
    class: 'transient',
    retryable: true,
    description: 'Solving timed out.',
  },
  ERROR_IP_BLOCKED: {
    class: 'account',
    retryable: false,
    description: 'This IP address is blocked after too many failed requests.',
  },
  ERROR_PROXY_CONNECT_REFUSED: {
    class: 'transient',
    retryable: true,
    description: 'The connection to the proxy failed or timed out.',
  },
  ERROR_PROXY_BANNED: {
    class: 'caller',
    retryable: false,
    description: 'The proxy IP address is banned by the captcha provider.',
  },
  ERROR_PROXY_MISSING: {
    class: 'caller',
    retryable: false,
    description: 'The proxy is missing or incomplete, or its proxyType is invalid.',
  },
  ERROR_PROXY_NOT_AUTHORISED: {
    class: 'caller',
    retryable: false,
    description: 'The proxy rejected the proxyLogin or proxyPassword.',
  },
  ERROR_PROXY_READ_TIMEOUT: {
    class: 'transient',
    retryable: true,
    description: 'The proxy did not respond in time.',
  },
  ERROR_TASK_NOT_SUPPORTED: {
    class: 'caller',
    retryable: false,
    description: 'The task type is not supported.',
  },
  ERROR_TASK_ABSENT: {
    class: 'caller',
    retryable: false,
    description: 'The task object is missing or the request body is not valid JSON.',
  },
  ERROR_WRONG_USERAGENT: {
    class: 'caller',
    retryable: false,
    description: 'The userAgent is invalid or outdated.',
  },
  CLIENT_TIMEOUT: {
    class: 'client',
    retryable: true,
    description: 'The task did not finish before the deadline.',
  },
  CLIENT_NETWORK_ERROR: {
    class: 'client',
    retryable: true,
    description: 'The request failed before a response arrived.',
  },
  CLIENT_HTTP_ERROR: {
    class: 'client',
    retryable: true,
    description: 'The server responded with an HTTP error status and no protocol body.',
  },
  CLIENT_INVALID_RESPONSE: {
    class: 'client',
    retryable: true,
    description: 'The response body is not protocol JSON.',
  },
  CLIENT_ABORTED: {
    class: 'client',
    retryable: false,
    description: 'The caller aborted the operation.',
  },
  CLIENT_POLL_BUDGET_EXHAUSTED: {
    class: 'client',
    retryable: false,
    description: 'The result-request budget for this task is spent.',
  },
  UNKNOWN_ERROR_CODE: {
    class: 'client',
    retryable: false,
    description: 'The server sent an error code outside the protocol catalogue.',
  },
};

const protocolCodes: ReadonlySet<string> = new Set(PROTOCOL_ERROR_CODES);

/** Tells whether a string is one of the protocol's 27 error codes. */
export function isProtocolErrorCode(value: unknown): value is ProtocolErrorCode {
  return typeof value === 'string' && protocolCodes.has(value);
}

/** Returns the catalogue entry of a code. */
export function describeErrorCode(code: ErrorCode): ErrorCodeInfo {
  return ERROR_CATALOGUE[code];
}

/**
 * Codes that cannot end a task: a poller that receives them keeps polling (CAPTCHA_NOT_READY)
 * or retries the same request later (ERROR_NO_SLOT_AVAILABLE, ERROR_TOO_MUCH_REQUESTS), so a
 * task failed with one of them would be polled until the poller's deadline.
 */
const NON_OUTCOME_CODES: ReadonlySet<string> = new Set([
  'CAPTCHA_NOT_READY',
  'ERROR_NO_SLOT_AVAILABLE',
  'ERROR_TOO_MUCH_REQUESTS',
]);

/** Tells whether a protocol error code may be sent as the final outcome of a task. */
export function isTaskOutcomeCode(value: unknown): value is ProtocolErrorCode {
  return isProtocolErrorCode(value) && !NON_OUTCOME_CODES.has(value);
}
