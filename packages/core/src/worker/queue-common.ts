import type { FailedJob } from './types';

/** Creates a lease id: the task id, a dot and a random UUID, so leases are never guessable. */
export function newLeaseId(taskId: number): string {
  return `${taskId}.${crypto.randomUUID()}`;
}

/** Returns the task id a lease id starts with, or undefined for a malformed lease id. */
export function taskIdOfLease(leaseId: string): number | undefined {
  const match = /^(\d{1,16})\.[0-9a-f-]{36}$/.exec(leaseId);
  if (match === null) return undefined;
  const taskId = Number(match[1]);
  return Number.isSafeInteger(taskId) ? taskId : undefined;
}

/** Outcome of a job whose `attempts` leases all expired without a submitted result. */
export function exhaustedOutcome(attempts: number): FailedJob['outcome'] {
  return {
    status: 'failed',
    errorCode: 'ERROR_CAPTCHA_UNSOLVABLE',
    errorDescription: `No worker submitted a result: all ${attempts} leases of the task expired.`,
  };
}
