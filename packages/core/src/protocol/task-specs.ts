import { CHALLENGE_SPECS } from './task-specs/challenge';
import { CUSTOM_SPECS } from './task-specs/custom';
import { IMAGE_SPECS } from './task-specs/image';
import { RECAPTCHA_SPECS } from './task-specs/recaptcha';
import { TOKEN_SPECS } from './task-specs/token';
import type { TaskSpec } from './task-specs/types';
import type { CanonicalTaskType, TaskType } from './task-types';

export * from './task-specs/polling';
export type * from './task-specs/types';

/**
 * Spec of every accepted `task.type` string, aliases included: fields with JSON types, proxy
 * mode, variants, solution shape, typical solve time and the official client's polling profile.
 *
 * @example
 * TASK_SPECS.NoCaptchaTaskProxyless.aliasOf; // 'RecaptchaV2Task'
 * TASK_SPECS.ImageToTextTask.clientPolling?.requestsIntervalMs; // 200
 */
export const TASK_SPECS: { readonly [T in TaskType]: TaskSpec } = {
  ...IMAGE_SPECS,
  ...RECAPTCHA_SPECS,
  ...TOKEN_SPECS,
  ...CHALLENGE_SPECS,
  ...CUSTOM_SPECS,
};

/** Every accepted `task.type` string, current types first in spec order, then aliases. */
export const TASK_TYPES: readonly TaskType[] = Object.freeze(
  (Object.keys(TASK_SPECS) as TaskType[]).sort(
    (a, b) =>
      Number(TASK_SPECS[a].aliasOf !== undefined) - Number(TASK_SPECS[b].aliasOf !== undefined),
  ),
);

/** The 16 current type strings. */
export const CANONICAL_TASK_TYPES: readonly CanonicalTaskType[] = Object.freeze(
  TASK_TYPES.filter((type) => TASK_SPECS[type].aliasOf === undefined) as CanonicalTaskType[],
);

const typesByLowerCase: ReadonlyMap<string, TaskType> = new Map(
  TASK_TYPES.map((type) => [type.toLowerCase(), type]),
);

/** Tells whether a value is an accepted `task.type` string, spelled exactly. */
export function isTaskType(value: unknown): value is TaskType {
  return typeof value === 'string' && Object.hasOwn(TASK_SPECS, value);
}

/**
 * Returns the accepted type string that `type` names, matching letter case loosely so that
 * old spellings such as `GeeTestTaskProxyLess` resolve; `undefined` when none matches.
 *
 * @example
 * resolveTaskType('geetesttaskproxyless'); // 'GeeTestTaskProxyless'
 */
export function resolveTaskType(type: string): TaskType | undefined {
  if (isTaskType(type)) return type;
  return typesByLowerCase.get(type.toLowerCase());
}

/**
 * Returns the current type string for a type or alias, or `undefined` for an unknown type.
 *
 * @example
 * canonicalTaskType('NoCaptchaTask'); // 'RecaptchaV2Task'
 */
export function canonicalTaskType(type: string): CanonicalTaskType | undefined {
  const resolved = resolveTaskType(type);
  return resolved === undefined ? undefined : TASK_SPECS[resolved].canonicalType;
}

/**
 * A type whose typical solve time can exceed this many seconds is `slow`. The data splits
 * cleanly here: token types take at most 20 or 30 seconds, slow ones 80 or 180.
 */
export const SLOW_TASK_MIN_SECONDS = 60;

/**
 * Speed class of a task type, to pick a polling schedule:
 * - `image`: ImageToTextTask and ComplexImageTask (and aliases), solved in about 0.3 to 6 s;
 * - `slow`: every other type whose `typicalSolveSeconds` maximum exceeds 60 s;
 * - `token`: the rest (reCAPTCHA v3, v3 Enterprise, GeeTest, Turnstile).
 * Unknown types count as `slow`, so a caller that polls them does so sparingly.
 *
 * @example
 * taskClassOf('ImageToTextTask'); // 'image'
 * taskClassOf('TurnstileTask'); // 'token'
 * taskClassOf('NoCaptchaTask'); // 'slow'
 */
export function taskClassOf(type: string): 'image' | 'token' | 'slow' {
  const resolved = resolveTaskType(type);
  if (resolved === undefined) return 'slow';

  const spec = TASK_SPECS[resolved];
  if (isImageTask(resolved)) return 'image';
  return spec.typicalSolveSeconds[1] > SLOW_TASK_MIN_SECONDS ? 'slow' : 'token';
}

/** Tells whether a type uploads images: ImageToTextTask or ComplexImageTask. */
export function isImageTask(type: string): boolean {
  const canonical = canonicalTaskType(type);
  return canonical === 'ImageToTextTask' || canonical === 'ComplexImageTask';
}

/** Returns the spec of a type string, matching letter case loosely, or `undefined`. */
export function taskSpecOf(type: string): TaskSpec | undefined {
  const resolved = resolveTaskType(type);
  return resolved === undefined ? undefined : TASK_SPECS[resolved];
}
