import { neverConnected } from '../client/connect-failure';
import type { CaptaskError } from '../protocol/errors';

/**
 * Consequence of a failed upstream createTask:
 * - `failover`: no upstream task exists, so another upstream (or a later try) is safe;
 * - `ambiguous`: the request may have created and charged a task, so nothing is sent again;
 * - `final`: the upstream rejected the task, and another try would be rejected the same way.
 */
export type CreateFailureKind = 'failover' | 'ambiguous' | 'final';

/**
 * Classifies a createTask failure for failover. Only a failure that proves no upstream task
 * exists fails over: an ERROR_NO_SLOT_AVAILABLE reply (whatever its HTTP status), or a
 * connection that never opened. An HTTP 5xx without a protocol body, a timeout, a connection
 * dropped after the request went out and an unreadable response are ambiguous, because the
 * upstream may have created and charged the task before the failure. Any other error, HTTP
 * 3xx and 4xx included, is final.
 *
 * @example
 * classifyCreateFailure(new CaptaskError('ERROR_NO_SLOT_AVAILABLE')); // 'failover'
 */
export function classifyCreateFailure(error: CaptaskError): CreateFailureKind {
  const code = error.serverErrorCode ?? error.code;
  if (code === 'ERROR_NO_SLOT_AVAILABLE') return 'failover';

  switch (error.code) {
    case 'CLIENT_HTTP_ERROR':
      return (error.status ?? 0) >= 500 ? 'ambiguous' : 'final';
    case 'CLIENT_NETWORK_ERROR':
      return neverConnected(error) ? 'failover' : 'ambiguous';
    case 'CLIENT_INVALID_RESPONSE':
      return 'ambiguous';
    default:
      return 'final';
  }
}
