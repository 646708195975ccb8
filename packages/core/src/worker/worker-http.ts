import { CaptaskError } from '../protocol/errors';
import { readStreamBytes } from '../server/read-stream';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** Builds a protocol JSON response with HTTP 200, the status of every worker API response. */
export function jsonResponse(body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: JSON_HEADERS });
}

export function errorResponse(error: CaptaskError): Response {
  return jsonResponse(error.toProtocol());
}

/** An ERROR_TASK_ABSENT error for a worker request body that is not what the method expects. */
export function invalidRequest(description: string): CaptaskError {
  return new CaptaskError('ERROR_TASK_ABSENT', { description });
}

/**
 * Reads the body as a JSON object, reading at most `maxBytes` bytes. Throws a CaptaskError for
 * a body that is too large, not JSON, or not an object.
 */
export async function readJsonObject(
  request: Request,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);

  const text = await readText(request, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  if (request.body === null) return '';

  const bytes = await readStreamBytes(request.body, maxBytes);
  if (bytes === undefined) throw tooLarge(maxBytes);
  return new TextDecoder().decode(bytes);
}

function tooLarge(maxBytes: number): CaptaskError {
  return invalidRequest(`The request body is larger than ${maxBytes} bytes.`);
}
