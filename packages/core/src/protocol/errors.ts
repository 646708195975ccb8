import {
  ERROR_CATALOGUE,
  type ErrorClass,
  type ErrorCode,
  isProtocolErrorCode,
} from './error-codes';

/** Brand on every CaptaskError; `Symbol.for` gives each copy of this module the same symbol. */
const CAPTASK_ERROR_BRAND = Symbol.for('captask.error');

export interface CaptaskErrorOptions {
  /** Human text; defaults to the catalogue description of the code. */
  description?: string;
  /** Protocol method the error belongs to, such as `createTask`. */
  method?: string;
  /** Task id as the server sent it: a number, or a string for ids beyond 2^53 and UUIDs. */
  taskId?: number | string;
  /** HTTP status of the response that carried the error, when there was one. */
  status?: number;
  /** The `errorCode` string exactly as the server sent it, also when it is not in the catalogue. */
  serverErrorCode?: string;
  /** Overrides the catalogue's `retryable` when the circumstances decide, such as HTTP 404 vs 502. */
  retryable?: boolean;
  /** Extra facts for callers and logs, such as the polls sent before a timeout. Never secrets. */
  details?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

/**
 * The one error class of captask. `code` comes from the closed union in the catalogue;
 * `retryable` and `errorClass` come from the catalogue too. No field ever holds a clientKey.
 *
 * @example
 * throw new CaptaskError('ERROR_TASK_ABSENT', { description: 'task is missing' });
 */
export class CaptaskError extends Error {
  /**
   * Makes `instanceof CaptaskError` true for errors from any copy of this class, such as the
   * ESM and CJS builds loaded side by side, by checking a brand that every instance carries.
   * Subclasses keep the ordinary prototype check.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: in `x instanceof Sub`, `this` is Sub.
    if (this !== CaptaskError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && CAPTASK_ERROR_BRAND in value;
  }

  override readonly name = 'CaptaskError';
  readonly code: ErrorCode;
  readonly description: string;
  readonly method: string | undefined;
  readonly taskId: number | string | undefined;
  readonly status: number | undefined;
  readonly serverErrorCode: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly #retryable: boolean | undefined;

  constructor(code: ErrorCode, options: CaptaskErrorOptions = {}) {
    const description = options.description ?? ERROR_CATALOGUE[code].description;
    super(formatMessage(code, description, options), { cause: options.cause });
    Object.defineProperty(this, CAPTASK_ERROR_BRAND, { value: true });
    this.code = code;
    this.description = description;
    this.method = options.method;
    this.taskId = options.taskId;
    this.status = options.status;
    this.serverErrorCode = options.serverErrorCode;
    this.details = options.details;
    this.#retryable = options.retryable;
  }

  /** Whether repeating the request later can succeed: the constructor option, else the catalogue. */
  get retryable(): boolean {
    return this.#retryable ?? ERROR_CATALOGUE[this.code].retryable;
  }

  get errorClass(): ErrorClass {
    return ERROR_CATALOGUE[this.code].class;
  }

  /** Protocol JSON body for this error: `errorId` 1 with `errorCode` and `errorDescription`. */
  toProtocol(): { errorId: 1; errorCode: string; errorDescription: string } {
    return {
      errorId: 1,
      errorCode: this.serverErrorCode ?? this.code,
      errorDescription: this.description,
    };
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      method: this.method,
      taskId: this.taskId,
      status: this.status,
      serverErrorCode: this.serverErrorCode,
      retryable: this.retryable,
      details: this.details,
    };
  }
}

function formatMessage(code: ErrorCode, description: string, options: CaptaskErrorOptions): string {
  const context: string[] = [];
  if (options.method !== undefined) context.push(`method ${options.method}`);
  if (options.taskId !== undefined) context.push(`task ${options.taskId}`);
  if (options.status !== undefined) context.push(`HTTP ${options.status}`);
  const suffix = context.length > 0 ? ` (${context.join(', ')})` : '';
  return `${code}: ${description}${suffix}`;
}

/** Tells whether a value is a CaptaskError, also across bundle copies (ESM and CJS). */
export function isCaptaskError(value: unknown): value is CaptaskError {
  if (value instanceof CaptaskError) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'CaptaskError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/**
 * Turns any thrown value into a CaptaskError. A CaptaskError passes through; anything else
 * becomes `fallback` with the original value as `cause`.
 */
export function toCaptaskError(
  value: unknown,
  fallback: ErrorCode = 'ERROR_CAPTCHA_UNSOLVABLE',
): CaptaskError {
  if (isCaptaskError(value)) return value;
  return new CaptaskError(fallback, { cause: value });
}

/** Builds a CaptaskError from an `errorCode` string a server sent, known or not. */
export function fromServerErrorCode(
  errorCode: string,
  options: Omit<CaptaskErrorOptions, 'serverErrorCode'> = {},
): CaptaskError {
  const code: ErrorCode = isProtocolErrorCode(errorCode) ? errorCode : 'UNKNOWN_ERROR_CODE';
  return new CaptaskError(code, { ...options, serverErrorCode: errorCode });
}
