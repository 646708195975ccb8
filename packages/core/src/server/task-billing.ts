import { canonicalTaskType } from '../protocol/task-specs';
import { type PriceTable, priceOf } from './pricing';
import type { AccountSource, Logger, StoredTask, TaskOutcome } from './types';

/**
 * Returns whether a finished task keeps the price reserved at createTask. Solved tasks keep it,
 * and so do GeeTest tasks that fail with ERROR_TOKEN_EXPIRED, because CapMonster Cloud charges
 * for a stale GeeTest challenge. Every other failure is refunded.
 */
export function keepsCharge(type: string, outcome: TaskOutcome): boolean {
  if (outcome.status === 'ready') return true;
  const isGeeTest = (canonicalTaskType(type) ?? type) === 'GeeTestTask';
  return isGeeTest && outcome.errorCode === 'ERROR_TOKEN_EXPIRED';
}

export interface RefundOptions {
  accounts: AccountSource;
  prices: PriceTable;
  logger?: Logger;
}

/**
 * Refunds the price a task reserved at createTask when its outcome is a failure that is not
 * charged. Refunds are once per task id in the account source, so every party that reads the
 * outcome (the task server, the worker API) may call this. Logs and swallows a failed refund.
 *
 * NOTE: a task that never gets an outcome is never refunded, such as a sandbox or relay task
 * whose instance stopped while a shared Redis store kept the task until it expired.
 */
export async function refundFailedTask(
  options: RefundOptions,
  task: Pick<StoredTask, 'id' | 'accountId' | 'type'>,
  outcome: TaskOutcome,
): Promise<void> {
  if (keepsCharge(task.type, outcome)) return;
  const amount = priceOf(options.prices, task.type);
  try {
    const refunded = await options.accounts.refund(task.accountId, amount, task.id);
    if (refunded) options.logger?.debug({ taskId: task.id, amount }, 'task price refunded');
  } catch (error) {
    options.logger?.error(
      { err: error, taskId: task.id, accountId: task.accountId },
      'refunding the price of a failed task failed',
    );
  }
}

/** Throws a TypeError at server construction for an account source without `refund`. */
export function checkAccounts(accounts: AccountSource): AccountSource {
  // The server reserves each task's price at createTask and cannot give it back without refund.
  if (typeof accounts.refund !== 'function') {
    throw new TypeError(
      'createTaskServer: the account source has no refund(accountId, amount, taskId) method, which gives back the price of a failed task.',
    );
  }
  return accounts;
}
