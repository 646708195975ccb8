import { CaptaskError, fromServerErrorCode } from '../protocol/errors';
import type { HttpExchange } from './http';
import { parseReplyJson } from './json-body';
import type { Redactor } from './redact';
import { parseRetryAfter } from './retry-policy';
import { safeDescription, safeErrorCode } from './server-text';
import type { ProtocolMethod, TaskId } from './types';

/** A parsed protocol reply: a JSON object whose `errorId` is 0 or absent. */
export type ReplyBody = Record<string, unknown>;

export interface ReadReplyOptions {
  method: ProtocolMethod;
  taskId?: TaskId;
  redactor: Redactor;
  now: number;
}

/**
 * Reads a protocol reply whatever its HTTP status. A JSON object with an `errorId` is the
 * protocol's reply: non-zero `errorId` throws the server's error code as a CaptaskError,
 * except CAPTCHA_NOT_READY, which is returned as a processing reply. Anything else throws
 * CLIENT_HTTP_ERROR for a non-2xx status or CLIENT_INVALID_RESPONSE for a 2xx one.
 */
export function readReply(exchange: HttpExchange, options: ReadReplyOptions): ReplyBody {
  const { method, taskId } = options;
  const retryAfterMs = parseRetryAfter(exchange.headers.get('retry-after'), options.now);
  const details = retryAfterMs === undefined ? undefined : { retryAfterMs };
  const ok = exchange.status >= 200 && exchange.status < 300;
  const body = parseObject(exchange.text);

  if (body !== undefined && (ok || 'errorId' in body)) {
    const errorId = body.errorId ?? 0;
    if (errorId === 0 || errorId === '0') return body;

    const errorCode = typeof body.errorCode === 'string' ? body.errorCode : '';
    if (errorCode.includes('CAPTCHA_NOT_READY')) return { ...body, status: 'processing' };
    const serverText = body.errorDescription;
    const description =
      typeof serverText === 'string' ? safeDescription(serverText, options.redactor) : undefined;
    const context = { method, taskId, status: exchange.status, description, details };
    if (errorCode !== '')
      throw fromServerErrorCode(safeErrorCode(errorCode, options.redactor), context);

    // The errorId itself is not quoted, because a server could put any text there, even the key.
    throw new CaptaskError('UNKNOWN_ERROR_CODE', {
      ...context,
      description: description ?? `The ${method} reply has a non-zero errorId and no errorCode.`,
    });
  }

  if (!ok) {
    throw new CaptaskError('CLIENT_HTTP_ERROR', {
      method,
      taskId,
      status: exchange.status,
      description: `The ${method} response has HTTP status ${exchange.status} and ${describeBody(exchange.text)}.`,
      retryable: exchange.status >= 500 || exchange.status === 429 || exchange.status === 408,
      details,
    });
  }
  throw new CaptaskError('CLIENT_INVALID_RESPONSE', {
    method,
    taskId,
    status: exchange.status,
    description: `The ${method} reply is not a protocol JSON object: ${describeBody(exchange.text)}.`,
    details,
  });
}

function parseObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = parseReplyJson(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

/** Names the kind of a body that is not protocol JSON, without quoting it. */
function describeBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'an empty body';
  if (trimmed.startsWith('<')) return `an HTML or XML body of ${text.length} characters`;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    return `a body of ${text.length} characters that is truncated, invalid or not a protocol object`;
  }
  return `a non-JSON body of ${text.length} characters`;
}
