import type { CaptaskError } from '../protocol/errors';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Builds a 200 response with a JSON body, as the protocol sends every outcome. */
export function jsonResponse(
  body: Record<string, unknown>,
  headers?: Record<string, string>,
): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { ...JSON_HEADERS, ...headers },
  });
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
