import type { CaptaskError } from '../protocol/errors';

/**
 * Consequence of a failed upstream createTask:
 * - `failover`: no upstream task exists, so another upstream (or a later try) is safe;
 * - `ambiguous`: the request may have created and charged a task, so nothing is sent again;
 * - `final`: the upstream rejected the task, and another try would be rejected the same way.
 */
export type CreateFailureKind = 'failover' | 'ambiguous' | 'final';

/**
 * Error codes that Node's fetch (undici) reports when the connection never opened, so the
 * request cannot have reached the upstream. Other runtimes report failures differently;
 * there every network error counts as ambiguous.
 */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Classifies a createTask failure for failover. ERROR_NO_SLOT_AVAILABLE, HTTP 5xx without a
 * protocol body (except 504) and connections that never opened fail over. Timeouts, HTTP 504
 * (a gateway timed out after forwarding the request), connections dropped after the request
 * went out and unreadable responses are ambiguous. Any other error, HTTP 4xx included, is final.
 *
 * @example
 * classifyCreateFailure(new CaptaskError('ERROR_NO_SLOT_AVAILABLE')); // 'failover'
 */
export function classifyCreateFailure(error: CaptaskError): CreateFailureKind {
  const code = error.serverErrorCode ?? error.code;
  if (code === 'ERROR_NO_SLOT_AVAILABLE') return 'failover';

  switch (error.code) {
    case 'CLIENT_HTTP_ERROR': {
      const status = error.status ?? 0;
      if (status === 504) return 'ambiguous';
      return status >= 500 ? 'failover' : 'final';
    }
    case 'CLIENT_NETWORK_ERROR':
      if (error.details?.timedOut === true) return 'ambiguous';
      return causeCodes(error).some((cause) => NOT_CONNECTED_CODES.has(cause))
        ? 'failover'
        : 'ambiguous';
    case 'CLIENT_INVALID_RESPONSE':
      return 'ambiguous';
    default:
      return 'final';
  }
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
