export {
  type CallbackSolveOptions,
  type CaptaskClient,
  createClient,
  type WaitingSolveOptions,
} from './create-client';
export { defaultSchedule } from './default-schedules';
export { DEFAULT_RETRY_POLICY, type RetryOptions } from './retry-policy';
export {
  MAX_POLLS_PER_TASK,
  type PollPlan,
  type PollSchedule,
  type PollScheduleFunction,
  plannedPollTimes,
  resolvePlan,
  type ScheduleOverride,
} from './schedule';
export type * from './types';
export { CAPMONSTER_CLOUD_URL } from './url';
