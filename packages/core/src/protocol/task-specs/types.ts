import type { CanonicalTaskType, TaskType } from '../task-types';

/**
 * JSON type of a task field: `integer` is a whole number, `number` any finite number, and
 * `boolean|integer` a boolean or the integers 0 and 1.
 */
export type InputFieldType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'object'
  | 'array<string>'
  | 'boolean|integer';

/**
 * Fields by name. A dotted name such as `metadata.Grid` is a key inside a nested object, and
 * `*` in a solution path stands for any key, such as a domain name.
 */
export type InputFields = Readonly<Record<string, InputFieldType>>;

/** Solution fields by path, typed in the vocabulary of `InputFieldType` plus `null` and unions. */
export type SolutionFields = Readonly<Record<string, string>>;

/**
 * Source of the proxy. With `none` the service uses its own and ignores proxy fields, with
 * `optional` the caller may send one, and with `required` the caller must.
 */
export type ProxyMode = 'none' | 'optional' | 'required';

/**
 * Polling schedule of the official JS client (`@zennolab_com/capmonstercloud-client` 2.6.1,
 * `GetResultTimeouts`) for a type. The client waits the first delay, then polls every interval
 * until the timeout, which starts after the first delay.
 */
export interface ClientPollingProfile {
  readonly firstRequestDelayMs: number;
  /** Used instead of the first delay when `task.nocache` is true; `null` means about 0 ms. */
  readonly firstRequestNoCacheDelayMs: number | null;
  readonly requestsIntervalMs: number;
  readonly timeoutMs: number;
  /** The type string the client sends for this profile, when it differs from the spec's type. */
  readonly clientTypeString?: string;
}

/** One documented `metadata.Task` value of ComplexImageTask `recognition`. */
export interface RecognitionTaskSpec {
  /** Files the caller sends in `imagesBase64`. */
  readonly images: string;
  /** The `metadata.AnswerType` of the solution. */
  readonly answerType: string;
  /** Meaning of the answer. */
  readonly answer: string;
}

/** Inputs, proxy rule, solution and timing of one task type or one variant of it. */
export interface TaskShape {
  readonly required: InputFields;
  readonly optional: InputFields;
  /** Groups of fields of which at least one per group must be present. */
  readonly requiredOneOf?: readonly (readonly string[])[];
  /** Fields whose empty string is a value, so `""` is kept and satisfies a requirement. */
  readonly allowEmpty?: readonly string[];
  /** Inclusive `[min, max]` of numeric fields. */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  readonly proxy: ProxyMode;
  /** Solution fields always present; `{}` when the shape depends on the variant. */
  readonly solution: SolutionFields;
  /** Solution fields present only for some sites or modes. */
  readonly solutionOptional?: SolutionFields;
  /** Other complete solution shapes, chosen by an input flag such as `cookieSolution`. */
  readonly solutionAlternatives?: readonly SolutionFields[];
  /** `[min, max]` solve time in seconds as `typicalSolveSecondsSource` states it. */
  readonly typicalSolveSeconds?: readonly [number, number];
  /** `docs` for the service's documentation, `client` for the official JS client's comments. */
  readonly typicalSolveSecondsSource?: 'docs' | 'client';
  /** `legacy` marks an alias or class that the service may no longer accept. */
  readonly status: 'current' | 'draft' | 'legacy';
  /** `null` when the official JS client has no profile, so its `Solve` throws for the type. */
  readonly clientPolling: ClientPollingProfile | null;
  /** ComplexImageTask `recognition` only: the documented `metadata.Task` values. */
  readonly recognitionTasks?: Readonly<Record<string, RecognitionTaskSpec>>;
}

/**
 * Spec of one `task.type` string. For a type with variants, the top-level `required` and
 * `optional` hold only the fields common to all variants, and each variant is complete.
 * A variant's proxy mode applies unless the type's own mode is `none`.
 */
export interface TaskSpec extends TaskShape {
  readonly type: TaskType;
  /** The current type string with the same meaning: the type itself or the one it aliases. */
  readonly canonicalType: CanonicalTaskType;
  /** Set on legacy aliases only. */
  readonly aliasOf?: CanonicalTaskType;
  readonly typicalSolveSeconds: readonly [number, number];
  readonly typicalSolveSecondsSource: 'docs' | 'client';
  /**
   * Field whose value selects the variant, such as `class`. `null` means the variants are
   * alternative sets of input fields, and the first complete set applies.
   */
  readonly discriminator?: string | null;
  /** Variant that applies when the discriminator field is absent. */
  readonly defaultVariant?: string;
  readonly variants?: Readonly<Record<string, TaskShape>>;
}
