import { CaptaskError } from './errors';
import { resolveTaskType, TASK_SPECS } from './task-specs';
import type { InputFields, TaskShape, TaskSpec } from './task-specs/types';
import type { CanonicalTaskType } from './task-types';
import { fieldError, jsonTypeName, quoteValue } from './validate/field-errors';
import {
  checkBounds,
  checkFieldTypes,
  checkRequiredOneOf,
  checkWebsiteUrl,
  dropEmptyOptionalFields,
  type FieldCheckContext,
} from './validate/fields';
import { checkImageSizes, type ImageBounds } from './validate/image';
import { canonicalizeKeys, isJsonObject, readTypeField, setOwn } from './validate/keys';
import { checkFieldLengths, resolveFieldLengths } from './validate/lengths';
import { applyProxyRules } from './validate/proxy';
import { selectVariant } from './validate/variant';

export { fieldErrorCode } from './validate/field-errors';
export { base64ByteLength } from './validate/image';
export { DEFAULT_MAX_FIELD_LENGTHS } from './validate/lengths';
export { PROXY_TYPES } from './validate/proxy';

/** Default lower bound of an uploaded image, in decoded bytes. */
export const DEFAULT_MIN_IMAGE_BYTES = 100;
/** Default upper bound of an uploaded image, in decoded bytes (50 KB). */
export const DEFAULT_MAX_IMAGE_BYTES = 51_200;

export interface ValidateOptions {
  /** Smallest accepted image in decoded bytes; smaller is ERROR_ZERO_CAPTCHA_FILESIZE. Default 100. */
  minImageBytes?: number;
  /** Largest accepted image in decoded bytes; larger is ERROR_TOO_BIG_CAPTCHA_FILESIZE. Default 51200. */
  maxImageBytes?: number;
  /**
   * Maximum lengths of string fields in characters, by canonical path such as `userAgent` or
   * `metadata.captchaUrl`, merged over DEFAULT_MAX_FIELD_LENGTHS; `Infinity` removes a limit.
   * A longer value gets the field's error code, such as ERROR_WRONG_USERAGENT.
   *
   * @example
   * validateTask(task, { maxFieldLengths: { userAgent: 4_096, websiteURL: Infinity } });
   */
  maxFieldLengths?: Readonly<Record<string, number>>;
}

/** A task that passed validation, with canonical field names. */
export type ValidatedTask = Record<string, unknown> & { type: string };

export type TaskValidation =
  | {
      ok: true;
      task: ValidatedTask;
      canonicalType: CanonicalTaskType;
      /** Variant key such as `DataDome`, `cf_clearance`, `3` or `option1_jsapi`, when the type has variants. */
      variant?: string;
    }
  | { ok: false; error: CaptaskError };

/**
 * Validates a `task` object of createTask and returns a normalized copy, or the protocol error
 * a server should send. The copy has field names in canonical casing (`Case` becomes `case`),
 * optional fields sent as `null` or `""` removed, proxy fields removed for types that take no
 * proxy, and unknown fields kept. The input is never modified. Which error code each broken
 * field gets is listed on `fieldErrorCode`.
 *
 * Throws only a RangeError for invalid options; any JSON input yields a result.
 *
 * @example
 * const result = validateTask({ type: 'NoCaptchaTaskProxyless', websiteURL: 'https://example.com/', websiteKey: 'key' });
 * if (!result.ok) return result.error.toProtocol();
 * result.canonicalType; // 'RecaptchaV2Task'
 */
export function validateTask(input: unknown, options: ValidateOptions = {}): TaskValidation {
  const bounds = readImageBounds(options);
  const maxLengths = resolveFieldLengths(options.maxFieldLengths);

  if (!isJsonObject(input)) {
    const description =
      input === undefined || input === null
        ? 'task is missing; send a JSON object with a type field'
        : `task must be a JSON object with a type field, got ${jsonTypeName(input)}`;
    return fail(new CaptaskError('ERROR_TASK_ABSENT', { description, details: { field: 'task' } }));
  }

  const spec = readSpec(input);
  if (spec instanceof CaptaskError) return fail(spec);
  const task = canonicalizeKeys(input, spec);
  setOwn(task, 'type', spec.type);

  const selection = selectVariant(task, spec);
  if (!selection.ok) return fail(selection.error);
  const { key, shape, label } = selection.variant;

  const context: FieldCheckContext = {
    task,
    shape,
    optional: optionalFieldsOf(spec, shape),
    label,
    skip: skippedFieldsOf(spec),
  };

  dropEmptyOptionalFields(context);
  const error =
    checkFieldTypes(context) ??
    checkFieldLengths(task, maxLengths) ??
    checkRequiredOneOf(context) ??
    checkBounds(context) ??
    checkWebsiteUrl(context) ??
    applyProxyRules(task, spec, shape, label) ??
    checkImageSizes(task, spec.canonicalType, bounds);
  if (error !== undefined) return fail(error);

  const result: TaskValidation = {
    ok: true,
    task: task as ValidatedTask,
    canonicalType: spec.canonicalType,
  };
  if (key !== undefined) result.variant = key;
  return result;
}

/** Optional fields of a spec merged with those of one of its shapes, built once per pair. */
const optionalFields = new WeakMap<TaskSpec, WeakMap<TaskShape, InputFields>>();

function optionalFieldsOf(spec: TaskSpec, shape: TaskShape): InputFields {
  let byShape = optionalFields.get(spec);
  if (byShape === undefined) {
    byShape = new WeakMap();
    optionalFields.set(spec, byShape);
  }
  let fields = byShape.get(shape);
  if (fields === undefined) {
    fields = { ...spec.optional, ...shape.optional };
    byShape.set(shape, fields);
  }
  return fields;
}

/** Fields the field checks leave alone (the variant discriminator), built once per spec. */
const skippedFields = new WeakMap<TaskSpec, ReadonlySet<string>>();

function skippedFieldsOf(spec: TaskSpec): ReadonlySet<string> {
  let skip = skippedFields.get(spec);
  if (skip === undefined) {
    skip = new Set(typeof spec.discriminator === 'string' ? [spec.discriminator] : []);
    skippedFields.set(spec, skip);
  }
  return skip;
}

function fail(error: CaptaskError): TaskValidation {
  return { ok: false, error };
}

function readSpec(task: Record<string, unknown>): TaskSpec | CaptaskError {
  const { found, value } = readTypeField(task);
  if (!found || value === null || value === '') {
    return fieldError(
      'task.type',
      'task.type is required; set it to a task type such as RecaptchaV2Task',
      'ERROR_TASK_NOT_SUPPORTED',
    );
  }
  if (typeof value !== 'string') {
    return fieldError('task.type', `task.type must be a string, got ${jsonTypeName(value)}`);
  }

  const type = resolveTaskType(value);
  if (type === undefined) {
    return fieldError(
      'task.type',
      `task.type ${quoteValue(value)} is not a supported task type; use one of: ${SUPPORTED_LIST}`,
    );
  }
  return TASK_SPECS[type];
}

const SUPPORTED_LIST = Object.values(TASK_SPECS)
  .filter((spec) => spec.aliasOf === undefined)
  .map((spec) => spec.type)
  .join(', ');

function readImageBounds(options: ValidateOptions): ImageBounds {
  const minImageBytes = options.minImageBytes ?? DEFAULT_MIN_IMAGE_BYTES;
  const maxImageBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (!(minImageBytes >= 0) || !(maxImageBytes >= minImageBytes)) {
    throw new RangeError(
      `Invalid image bounds: minImageBytes ${minImageBytes} and maxImageBytes ${maxImageBytes}; both must be numbers with 0 <= min <= max`,
    );
  }
  return { minImageBytes, maxImageBytes };
}
