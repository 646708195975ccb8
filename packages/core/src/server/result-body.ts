import type { StoredTask } from './types';

/**
 * Builds the getTaskResult body of a task: `processing`, `ready` with the solution and the
 * fields CapMonster Cloud adds (`cost`, `createTime`, `endTime`, `solveCount`), or the task's
 * error. Callback POSTs carry the same body with the task's `taskId` added.
 *
 * @example
 * taskResultBody(task); // { errorId: 0, status: 'ready', solution: { token: '...' }, ... }
 */
export function taskResultBody(task: StoredTask): Record<string, unknown> {
  const outcome = task.outcome;
  if (task.state === 'processing' || outcome === undefined) {
    return { errorId: 0, status: 'processing' };
  }
  if (outcome.status === 'failed') {
    return { errorId: 1, errorCode: outcome.errorCode, errorDescription: outcome.errorDescription };
  }
  const ready: Record<string, unknown> = {
    errorId: 0,
    status: 'ready',
    solution: outcome.solution,
  };
  if (outcome.cost !== undefined) ready.cost = outcome.cost;
  ready.createTime = Math.floor(task.createdAt / 1000);
  if (task.completedAt !== undefined) ready.endTime = Math.floor(task.completedAt / 1000);
  ready.solveCount = 1;
  return ready;
}
