import { CaptaskError } from '../protocol/errors';
import type { ServerContext } from './server-context';

/**
 * Counts a new task against its account's limit of tasks in progress in this process, or
 * throws ERROR_NO_SLOT_AVAILABLE at the limit. It does not await, so concurrent createTask
 * requests cannot all pass a check made before any of them counted.
 */
export function takePendingSlot(context: ServerContext, accountId: string): void {
  const pending = context.pendingByAccount.get(accountId) ?? 0;
  const max = context.limits.maxPendingTasksPerAccount;
  if (pending >= max) {
    throw new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
      description: `This key already has ${pending} tasks in progress, the maximum per key; retry when one finishes.`,
    });
  }
  context.pendingByAccount.set(accountId, pending + 1);
}

/** Gives back the slot of a task that finished or was never created. */
export function releasePendingSlot(context: ServerContext, accountId: string): void {
  const pending = (context.pendingByAccount.get(accountId) ?? 0) - 1;
  if (pending > 0) context.pendingByAccount.set(accountId, pending);
  else context.pendingByAccount.delete(accountId);
}
