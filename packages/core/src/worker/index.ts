export { createMemoryQueue, type MemoryQueueOptions } from './memory-queue';
export { exhaustedOutcome } from './queue-common';
export { createQueueSolver, type QueueSolverOptions } from './queue-solver';
export type {
  ClaimOptions,
  ClaimResult,
  FailedJob,
  Lease,
  LeaseInfo,
  QueueJob,
  WorkQueue,
} from './types';
export { isWorkerPath, withWorkerApi } from './with-worker-api';
export { createWorker, type Worker, type WorkerOptions, type WorkerSolveContext } from './worker';
export { createWorkerApi, type WorkerApi, type WorkerApiOptions } from './worker-api';
export {
  type ClaimedTask,
  createWorkerClient,
  type WorkerClient,
  type WorkerClientOptions,
} from './worker-client';
export type { WorkerApiLimits } from './worker-requests';
