import { canonicalTaskType } from '../protocol/task-specs';
import type { Solver } from './types';

/**
 * Picks the solver for a canonical task type: the first solver whose `types` lists it, else
 * the first solver without `types` (a catch-all). Solver type lists may use aliases such as
 * `NoCaptchaTask`; they are compared by canonical type.
 */
export function pickSolver(solvers: readonly Solver[], canonicalType: string): Solver | undefined {
  const specific = solvers.find((solver) =>
    solver.types?.some((type) => (canonicalTaskType(type) ?? type) === canonicalType),
  );
  return specific ?? solvers.find((solver) => solver.types === undefined);
}
