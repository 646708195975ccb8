import type { CaptaskError } from '../protocol/errors';
import type { PlainResponse } from './plain-request';

/** Headers of a JSON reply. */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
};

/** Init of the common response; Response copies its headers, so one object serves every call. */
const JSON_INIT: ResponseInit = { status: 200, headers: JSON_HEADERS };

/** Turns a plain reply into a web `Response`. */
export function toWebResponse(reply: PlainResponse): Response {
  const init =
    reply.status === 200 && reply.headers === JSON_HEADERS
      ? JSON_INIT
      : { status: reply.status, headers: reply.headers };
  return new Response(reply.body, init);
}

/**
 * The protocol error body for a CaptaskError: `errorId` 1, `errorCode`, `errorDescription`,
 * plus `taskId: 0` for createTask, whose callers expect a task id in every response.
 */
export function errorBody(
  error: CaptaskError,
  method: string | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = error.toProtocol();
  if (method === 'createTask') body.taskId = 0;
  return body;
}
