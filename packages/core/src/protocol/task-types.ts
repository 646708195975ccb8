import type {
  AmazonCookieSolution,
  AmazonSolution,
  ChallengeSolutionMap,
  ChallengeTaskMap,
  GeeTestV3Solution,
  GeeTestV4Solution,
  TurnstileClearanceSolution,
  TurnstileTokenSolution,
} from './task-types/challenge';
import type { CustomSolutionByClass, CustomSolutionMap, CustomTaskMap } from './task-types/custom';
import type {
  ComplexImageGridSolution,
  ComplexImageRecognitionSolution,
  ImageSolutionMap,
  ImageTaskMap,
} from './task-types/image';
import type { RecaptchaSolutionMap, RecaptchaTaskMap } from './task-types/recaptcha';
import type { TokenSolutionMap, TokenTaskMap } from './task-types/token';

export type * from './task-types/challenge';
export type * from './task-types/common';
export type * from './task-types/custom';
export type * from './task-types/image';
export type * from './task-types/recaptcha';
export type * from './task-types/token';

/** Task object per `type` string, aliases included. */
export interface TaskTypeMap
  extends RecaptchaTaskMap,
    TokenTaskMap,
    ChallengeTaskMap,
    ImageTaskMap,
    CustomTaskMap {}

/** Solution object per `type` string, aliases included. */
export interface SolutionTypeMap
  extends RecaptchaSolutionMap,
    TokenSolutionMap,
    ChallengeSolutionMap,
    ImageSolutionMap,
    CustomSolutionMap {}

/** Every accepted `task.type` string: the 16 current ones and 11 legacy aliases. */
export type TaskType = keyof TaskTypeMap;

/** The 16 type strings that the service documents today; every alias maps to one of them. */
export type CanonicalTaskType =
  | 'ImageToTextTask'
  | 'RecaptchaV2Task'
  | 'RecaptchaV2EnterpriseTask'
  | 'RecaptchaV3TaskProxyless'
  | 'RecaptchaV3EnterpriseTask'
  | 'HCaptchaTask'
  | 'FunCaptchaTask'
  | 'GeeTestTask'
  | 'TurnstileTask'
  | 'AmazonTask'
  | 'BinanceTask'
  | 'ProsopoTask'
  | 'YidunTask'
  | 'MTCaptchaTask'
  | 'ComplexImageTask'
  | 'CustomTask';

/** Legacy type strings that the service accepted or still accepts, such as `NoCaptchaTask`. */
export type AliasTaskType = Exclude<TaskType, CanonicalTaskType>;

/**
 * Any task, discriminated by `type`; variants of one type are discriminated further by
 * `class`, `cloudflareTaskType` or `version`.
 *
 * @example
 * const task: Task = { type: 'RecaptchaV2Task', websiteURL: 'https://example.test/', websiteKey: 'key' };
 */
export type Task = TaskTypeMap[TaskType];

/** The task object of one type string. */
export type TaskOf<T extends TaskType> = TaskTypeMap[T];

/**
 * The solution of one type string: a union when variants of the type return different shapes.
 * Use `SolutionOfTask` to narrow by the variant of a task value.
 *
 * @example
 * type V2 = SolutionOf<'NoCaptchaTask'>; // { gRecaptchaResponse: string; ... }
 */
export type SolutionOf<T extends TaskType> = SolutionTypeMap[T];

type GeeTestType = 'GeeTestTask' | 'GeeTestTaskProxyless';
type TurnstileType = 'TurnstileTask' | 'TurnstileTaskProxyless';
type AmazonType = 'AmazonTask' | 'AmazonTaskProxyless';

/**
 * The solution of a task type narrowed by its variant field (`class`, `cloudflareTaskType`,
 * `version`, `cookieSolution`) where the task's type states it.
 *
 * @example
 * type S = SolutionOfTask<{ type: 'GeeTestTask'; websiteURL: string; gt: string; version: 4 }>;
 * // GeeTestV4Solution
 */
export type SolutionOfTask<T extends { type: TaskType }> = T extends {
  type: 'CustomTask';
  class: infer C extends keyof CustomSolutionByClass;
}
  ? CustomSolutionByClass[C]
  : T extends { type: 'ComplexImageTask'; class: 'recaptcha' | 'funcaptcha' }
    ? ComplexImageGridSolution
    : T extends { type: 'ComplexImageTask'; class: 'recognition' | 'hcaptcha' }
      ? ComplexImageRecognitionSolution
      : T extends { type: TurnstileType; cloudflareTaskType: 'cf_clearance' | 'wait_room' }
        ? TurnstileClearanceSolution
        : T extends { type: TurnstileType; cloudflareTaskType?: undefined | 'token' }
          ? TurnstileTokenSolution
          : T extends { type: GeeTestType; version: 4 | '4' }
            ? GeeTestV4Solution
            : T extends { type: GeeTestType; version?: 3 | '3' | undefined }
              ? GeeTestV3Solution
              : T extends { type: AmazonType; cookieSolution: true }
                ? AmazonCookieSolution
                : T extends { type: AmazonType }
                  ? AmazonSolution
                  : SolutionOf<T['type']>;
