import type { CaptaskError } from '../protocol/errors';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Init of the common response; Response copies its headers, so one object serves every call. */
const JSON_INIT: ResponseInit = { status: 200, headers: JSON_HEADERS };

/** Builds a 200 response with a JSON body, as the protocol sends every outcome. */
export function jsonResponse(
  body: Record<string, unknown>,
  headers?: Record<string, string>,
): Response {
  const init =
    headers === undefined ? JSON_INIT : { status: 200, headers: { ...JSON_HEADERS, ...headers } };
  return new Response(JSON.stringify(body), init);
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
