import type { TaskId } from '../client/types';
import { CaptaskError, isCaptaskError } from '../protocol/errors';

/** Upstream codes saying that the upstream has no task under the id it returned. */
const LOST_TASK_CODES: ReadonlySet<string> = new Set([
  'ERROR_NO_SUCH_CAPCHA_ID',
  'WRONG_CAPTCHA_ID',
]);

/**
 * Turns a failure while polling an upstream task into the downstream task's outcome:
 *
 * - an upstream protocol error keeps its code, with the upstream task id removed from its
 *   description, because downstream callers have no use for the upstream's ids;
 * - ERROR_NO_SUCH_CAPCHA_ID and WRONG_CAPTCHA_ID become ERROR_CAPTCHA_UNSOLVABLE, since the
 *   downstream task exists and a downstream caller would read them as a wrong id of its own;
 * - ERROR_NO_SLOT_AVAILABLE becomes ERROR_CAPTCHA_UNSOLVABLE, since clients read it as "retry
 *   later" and would keep polling a task that has failed;
 * - the client's own limits (deadline, request budget) and transport failures become
 *   ERROR_CAPTCHA_UNSOLVABLE with a description of the relay's own, which never quotes the
 *   client's description, because that names the upstream task id.
 *
 * Other thrown values pass through unchanged. The original error is kept as `cause` for logs.
 *
 * @example
 * throw describePollFailure('api.capmonster.cloud', upstreamTaskId, error);
 */
export function describePollFailure(
  upstreamName: string,
  upstreamTaskId: TaskId,
  error: unknown,
): unknown {
  if (!isCaptaskError(error)) return error;
  const code = error.serverErrorCode ?? error.code;
  const unsolvable = (description: string): CaptaskError =>
    new CaptaskError('ERROR_CAPTCHA_UNSOLVABLE', {
      description: `${description} Create a new task to try again.`,
      cause: error,
    });

  if (LOST_TASK_CODES.has(code)) {
    return unsolvable(`The upstream provider lost the task: ${upstreamName} reported ${code}.`);
  }
  if (code === 'ERROR_NO_SLOT_AVAILABLE') {
    return unsolvable(`Upstream ${upstreamName} kept reporting ERROR_NO_SLOT_AVAILABLE.`);
  }
  if (error.code.startsWith('CLIENT_')) {
    return unsolvable(`Upstream ${upstreamName} did not finish the task: ${clientReason(error)}.`);
  }

  const description = withoutId(error.description, upstreamTaskId);
  if (description === error.description) return error;
  return new CaptaskError(error.code, {
    description,
    serverErrorCode: error.serverErrorCode,
    status: error.status,
    cause: error,
  });
}

/** Describes a client-side polling failure from its code and details, without any task id. */
function clientReason(error: CaptaskError): string {
  const polls = error.details?.polls;
  const count = typeof polls === 'number' ? ` after ${polls} result requests` : '';
  switch (error.code) {
    case 'CLIENT_TIMEOUT':
      return `the relay's polling deadline passed${count}`;
    case 'CLIENT_POLL_BUDGET_EXHAUSTED':
      return `the relay's budget of result requests is spent${count}`;
    default: {
      const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
      return `polling failed with ${error.code}${status}`;
    }
  }
}

/** Replaces each whole-word occurrence of the upstream task id in a description. */
function withoutId(description: string, upstreamTaskId: TaskId): string {
  const id = String(upstreamTaskId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (id === '') return description;
  return description.replace(new RegExp(`(?<![\\w-])${id}(?![\\w-])`, 'g'), '[upstream task]');
}
