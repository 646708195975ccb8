import { CaptaskError } from '../protocol/errors';
import type { ValidateOptions } from '../protocol/validate';
import { validateTask } from '../protocol/validate';
import { applyKeyModifiers, parseKeyModifiers } from './client-key';
import { startSolving } from './run-task';
import {
  announcement,
  authenticate,
  callHook,
  readField,
  type ServerContext,
} from './server-context';
import { pickSolver } from './solver-routing';

/** Result of a method handler: the JSON body to send and the task id for the request log. */
export interface MethodResult {
  body: Record<string, unknown>;
  taskId?: number;
  outcome: string;
}

/**
 * Handles createTask: authenticates, validates the task, picks a solver, checks the balance,
 * stores the task and starts solving in the background. The response does not wait for the solve.
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
  const balance = await context.accounts.getBalance(account.id);
  if (!(balance > 0)) {
    throw new CaptaskError('ERROR_ZERO_BALANCE', {
      description: `The account balance is ${balance}; top it up to create tasks.`,
    });
  }

  // An absent, null or empty callbackUrl means no callback; anything else must pass the policy.
  const callbackUrl = readField(body, 'callbackUrl');
  const wantsCallback = callbackUrl !== undefined && callbackUrl !== null && callbackUrl !== '';
  if (wantsCallback) await context.callbacks.policy.check(callbackUrl);
  const stored = await context.store.create({
    accountId: account.id,
    type: checked.canonicalType,
    task,
    ...(wantsCallback ? { callbackUrl: String(callbackUrl) } : {}),
  });
  callHook(context, 'onTaskCreated', () => context.hooks.onTaskCreated?.(stored));
  startSolving(context, stored, solver);
  const created = { errorId: 0, taskId: stored.id, ...announcement(context) };
  return { body: created, taskId: stored.id, outcome: 'created' };
}
