import { fromServerErrorCode } from '../protocol/errors';
import { canonicalTaskType } from '../protocol/task-specs';
import type { SolveContext, Solver } from '../server/types';
import type { WorkQueue } from './types';

export interface QueueSolverOptions {
  queue: WorkQueue;
  /** Canonical task types that workers solve; absent means every type. */
  types?: readonly string[];
}

/**
 * Creates a solver that hands each task to the work queue and resolves when a worker's
 * result arrives. The worker API writes that result into the task store itself, so a task
 * created on one instance can be finished through another. The promise of this solver only
 * tells the creating instance about the outcome; the store is already complete by then.
 *
 * @example
 * const queue = createMemoryQueue();
 * const tasks = createTaskServer({ solvers: createQueueSolver({ queue }) });
 * const workers = createWorkerApi({ queue, store: tasks.store, workerKeys: ['w-secret'] });
 * const handler = withWorkerApi(tasks, workers);
 */
export function createQueueSolver(options: QueueSolverOptions): Solver {
  const { queue } = options;

  return {
    ...(options.types !== undefined ? { types: options.types } : {}),

    async solve(
      task: Record<string, unknown> & { type: string },
      context: SolveContext,
    ): Promise<Record<string, unknown>> {
      const { taskId, signal } = context;
      const type = canonicalTaskType(task.type) ?? task.type;
      await queue.enqueue({ taskId, type, task });

      let outcome: Awaited<ReturnType<WorkQueue['waitForOutcome']>>;
      try {
        outcome = await queue.waitForOutcome(taskId, signal);
      } catch (error) {
        // The server gave up on the task (deadline or shutdown), so no worker should start it.
        await queue.cancel(taskId).catch(() => undefined);
        throw error;
      }

      if (outcome.status === 'ready') return outcome.solution;
      throw fromServerErrorCode(outcome.errorCode, {
        description: outcome.errorDescription,
        taskId,
      });
    },
  };
}
