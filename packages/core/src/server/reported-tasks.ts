import type { Clock } from './types';

/** Task ids reported as incorrectly solved, so that a repeated report counts once. */
export interface ReportedTasks {
  /** Records a report and returns true, or returns false when the task was reported already. */
  recordFirst(taskId: number): boolean;
}

/**
 * Creates the record of reported tasks in this process. An entry lives `ttlMs` (the server's
 * result TTL, after which the task cannot be reported anyway), and at most `maxEntries` are
 * kept, the oldest dropped first.
 *
 * NOTE: the record is per process, so with a shared Redis store a report repeated through
 * another instance reaches the onIncorrectReport hook once more.
 */
export function createReportedTasks(
  clock: Clock,
  ttlMs: number,
  maxEntries = 100_000,
): ReportedTasks {
  const expiries = new Map<number, number>();

  const prune = (now: number): void => {
    for (const [taskId, expiresAt] of expiries) {
      if (expiresAt > now && expiries.size < maxEntries) break;
      expiries.delete(taskId);
    }
  };

  return {
    recordFirst(taskId: number): boolean {
      const now = clock.now();
      prune(now);
      if (expiries.has(taskId)) return false;
      expiries.set(taskId, now + ttlMs);
      return true;
    },
  };
}
