import { isTaskOutcomeCode } from '../protocol/error-codes';
import type { TaskOutcome } from '../server/types';
import { taskIdOfLease } from './queue-common';
import { invalidRequest } from './worker-http';

/** Bounds that the worker API applies to claim and extend requests. */
export interface WorkerApiLimits {
  /** Maximum `max` of one claim request. Default 50. */
  maxClaim?: number;
  /** Lease length when a request names none, in ms. Default 60 000. */
  defaultLeaseMs?: number;
  /** Smallest lease a worker may request, in ms. Default 1 000. */
  minLeaseMs?: number;
  /** Largest lease a worker may request, in ms. Default 600 000. */
  maxLeaseMs?: number;
  /** Largest request body, in bytes. Default 1 048 576. */
  maxBodyBytes?: number;
}

export type ResolvedLimits = Required<WorkerApiLimits>;

export function resolveLimits(limits: WorkerApiLimits = {}): ResolvedLimits {
  return {
    maxClaim: limits.maxClaim ?? 50,
    defaultLeaseMs: limits.defaultLeaseMs ?? 60_000,
    minLeaseMs: limits.minLeaseMs ?? 1_000,
    maxLeaseMs: limits.maxLeaseMs ?? 600_000,
    maxBodyBytes: limits.maxBodyBytes ?? 1_048_576,
  };
}

export interface ClaimRequest {
  types: string[];
  max: number;
  leaseMs: number;
}

const MAX_TYPES = 100;
const MAX_TYPE_LENGTH = 100;

export function parseClaim(body: Record<string, unknown>, limits: ResolvedLimits): ClaimRequest {
  const types = body.types ?? [];
  if (!Array.isArray(types) || types.length > MAX_TYPES) {
    throw invalidRequest(`types must be an array of at most ${MAX_TYPES} task type strings.`);
  }
  for (const type of types) {
    if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE_LENGTH) {
      throw invalidRequest(
        `Each entry of types must be a task type string, such as "ImageToTextTask".`,
      );
    }
  }

  return {
    types: types as string[],
    max: integerField(body, 'max', 1, limits.maxClaim, 1),
    leaseMs: leaseMsField(body, limits),
  };
}

export function leaseMsField(body: Record<string, unknown>, limits: ResolvedLimits): number {
  return integerField(body, 'leaseMs', limits.minLeaseMs, limits.maxLeaseMs, limits.defaultLeaseMs);
}

/** Reads `leaseId` and checks its shape; the queue decides whether the lease is current. */
export function leaseIdField(body: Record<string, unknown>): string {
  const leaseId = body.leaseId;
  if (typeof leaseId !== 'string' || taskIdOfLease(leaseId) === undefined) {
    throw invalidRequest('leaseId is missing or is not a lease id returned by /worker/claim.');
  }
  return leaseId;
}

/** Reads the result of a submit request: exactly one of `solution` and `errorCode`. */
export function parseOutcome(body: Record<string, unknown>): TaskOutcome {
  const { solution, errorCode, errorDescription } = body;
  if (solution !== undefined && errorCode !== undefined) {
    throw invalidRequest('Send either solution or errorCode, not both.');
  }

  if (solution !== undefined) {
    if (typeof solution !== 'object' || solution === null || Array.isArray(solution)) {
      throw invalidRequest('solution must be a JSON object, such as {"text":"abc"}.');
    }
    return { status: 'ready', solution: solution as Record<string, unknown> };
  }

  if (!isTaskOutcomeCode(errorCode)) {
    throw invalidRequest(
      'Send a solution object, or an errorCode that can end a task, such as ERROR_CAPTCHA_UNSOLVABLE (not CAPTCHA_NOT_READY, ERROR_NO_SLOT_AVAILABLE or ERROR_TOO_MUCH_REQUESTS).',
    );
  }
  if (errorDescription !== undefined && typeof errorDescription !== 'string') {
    throw invalidRequest('errorDescription must be a string.');
  }
  return {
    status: 'failed',
    errorCode,
    errorDescription: errorDescription?.slice(0, 500) ?? defaultDescription(errorCode),
  };
}

function defaultDescription(errorCode: string): string {
  return `The worker reported ${errorCode}.`;
}

function integerField(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidRequest(`${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}
