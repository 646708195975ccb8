import type { CaptaskError } from '../protocol/errors';

/**
 * Error codes that fetch reports when the connection never opened, so the request cannot have
 * reached the server. Node 20 (undici) and Bun 1.4 set them on the error or its `cause`.
 * Deno 2 reports a refused connection without a code, so there, and on runtimes not checked,
 * every network error counts as one that may have reached the server.
 */
const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Tells whether a CLIENT_NETWORK_ERROR proves that the request never reached the server. That
 * holds when a code along its `cause` chain means the connection never opened and the client's
 * own timeout did not fire, since a timeout may cut a request that was already sent.
 *
 * @example
 * if (neverConnected(error)) await tryTheNextServer();
 */
export function neverConnected(error: CaptaskError): boolean {
  if (error.code !== 'CLIENT_NETWORK_ERROR' || error.details?.timedOut === true) return false;
  return causeCodes(error).some((code) => NOT_CONNECTED_CODES.has(code));
}

/** Collects the `code` strings along an error's `cause` chain. */
function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
