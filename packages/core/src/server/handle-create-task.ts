import { CaptaskError } from '../protocol/errors';
import type { ValidateOptions } from '../protocol/validate';
import { validateTask } from '../protocol/validate';
import { applyKeyModifiers, parseKeyModifiers } from './client-key';
import { releasePendingSlot, takePendingSlot } from './pending-slots';
import { priceOf } from './pricing';
import { startSolving } from './run-task';
import {
  announcement,
  authenticate,
  callHook,
  readField,
  type ServerContext,
} from './server-context';
import { pickSolver } from './solver-routing';
import type { StoredTask } from './types';

/** Result of a method handler: the JSON body to send and the task id for the request log. */
export interface MethodResult {
  body: Record<string, unknown>;
  taskId?: number;
  outcome: string;
}

/**
 * Handles createTask: authenticates, validates the task, picks a solver, stores the task,
 * reserves its price from the balance and starts solving in the background. The response does
 * not wait for the solve. A task whose price the balance cannot cover is removed again and
 * gets ERROR_ZERO_BALANCE; a failed task is refunded when it finishes.
 */
export async function handleCreateTask(
  context: ServerContext,
  body: Record<string, unknown>,
  validation: ValidateOptions | undefined,
): Promise<MethodResult> {
  const { account, modifiers } = await authenticate(context, body);
  const modifierOptions = parseKeyModifiers(modifiers);
  if (!modifierOptions.ok) {
    throw new CaptaskError('ERROR_KEY_DOES_NOT_EXIST', { description: modifierOptions.reason });
  }

  const input = readField(body, 'task');
  if (input === undefined || input === null) {
    throw new CaptaskError('ERROR_TASK_ABSENT', {
      description: 'The task field is missing; send {"clientKey":"...","task":{"type":"...",...}}.',
    });
  }
  const checked = validateTask(input, validation);
  if (!checked.ok) throw checked.error;
  const task = applyKeyModifiers(checked.task, checked.canonicalType, modifierOptions.options);

  const solver = pickSolver(context.solvers, checked.canonicalType);
  if (solver === undefined) {
    throw new CaptaskError('ERROR_TASK_NOT_SUPPORTED', {
      description: `This server has no solver for ${checked.canonicalType}.`,
    });
  }
  if (context.closing) {
    throw new CaptaskError('ERROR_NO_SLOT_AVAILABLE', {
      description: 'The server is shutting down.',
    });
  }
  // A cheap early rejection only: the reservation after store.create decides atomically.
  const price = priceOf(context.prices, checked.canonicalType);
  const balance = await context.accounts.getBalance(account.id);
  if (!(balance > 0) || balance < price) throw notCovered(balance, price, checked.canonicalType);

  // An absent, null or empty callbackUrl means no callback; anything else must pass the policy.
  const callbackUrl = readField(body, 'callbackUrl');
  const wantsCallback = callbackUrl !== undefined && callbackUrl !== null && callbackUrl !== '';
  if (wantsCallback) await context.callbacks.policy.check(callbackUrl);

  takePendingSlot(context, account.id);
  let stored: StoredTask;
  try {
    stored = await context.store.create({
      accountId: account.id,
      type: checked.canonicalType,
      task,
      ...(wantsCallback ? { callbackUrl: String(callbackUrl) } : {}),
    });
    await reservePrice(context, stored, price);
  } catch (error) {
    releasePendingSlot(context, account.id);
    throw error;
  }
  callHook(context, 'onTaskCreated', () => context.hooks.onTaskCreated?.(stored));
  // startSolving releases the slot when the task finishes.
  startSolving(context, stored, solver);
  const created = { errorId: 0, taskId: stored.id, ...announcement(context) };
  return { body: created, taskId: stored.id, outcome: 'created' };
}

/**
 * Charges the task's price before the task is announced, and removes the task again when the
 * balance cannot cover it or the account source fails.
 */
async function reservePrice(
  context: ServerContext,
  stored: StoredTask,
  price: number,
): Promise<void> {
  let reserved = false;
  try {
    reserved = await context.accounts.charge(stored.accountId, price, stored.id);
  } finally {
    if (!reserved) await context.store.expire(stored.id);
  }
  if (!reserved) {
    const balance = await context.accounts.getBalance(stored.accountId);
    throw notCovered(balance, price, stored.type);
  }
}

function notCovered(balance: number, price: number, type: string): CaptaskError {
  return new CaptaskError('ERROR_ZERO_BALANCE', {
    description: `The balance ${balance} does not cover the price ${price} of this ${type}; tasks in progress have their prices reserved from it. Top the balance up to create tasks.`,
  });
}
