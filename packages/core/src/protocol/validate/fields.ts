import type { CaptaskError } from '../errors';
import type { InputFields, InputFieldType, TaskShape } from '../task-specs/types';
import { fieldError, fieldErrorCode, jsonTypeName, quoteValue } from './field-errors';
import { deletePath, isAbsent, type JsonObject, readPath } from './keys';

/** Input of the field checks: the task copy, the shape that applies and its name for messages. */
export interface FieldCheckContext {
  task: JsonObject;
  shape: TaskShape;
  /** Optional fields of the type and of the variant, the variant's types first. */
  optional: InputFields;
  /** The type and variant as messages name it, such as `CustomTask class DataDome`. */
  label: string;
  /** Fields checked elsewhere, such as the discriminator. */
  skip: ReadonlySet<string>;
}

const TYPE_WORDS: Record<InputFieldType, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a JSON object',
  'array<string>': 'an array of strings',
  'boolean|integer': 'true, false, 1 or 0',
};

function hasType(value: unknown, type: InputFieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array<string>':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'boolean|integer':
      return typeof value === 'boolean' || value === 0 || value === 1;
  }
}

function checkType(path: string, value: unknown, type: InputFieldType): CaptaskError | undefined {
  if (hasType(value, type)) return undefined;
  return fieldError(
    `task.${path}`,
    `task.${path} must be ${TYPE_WORDS[type]}, got ${jsonTypeName(value)}`,
  );
}

function parentError(parent: string): CaptaskError {
  return fieldError(`task.${parent}`, `task.${parent} must be a JSON object`);
}

/** Removes optional fields sent as `null` or `""`, so they count as absent. */
export function dropEmptyOptionalFields(context: FieldCheckContext): void {
  const allowEmpty = new Set(context.shape.allowEmpty);
  for (const path of [...Object.keys(context.optional), 'nocache']) {
    if (context.skip.has(path) || Object.hasOwn(context.shape.required, path)) continue;
    const { present, value } = readPath(context.task, path);
    if (!present) continue;
    if (value === null || (value === '' && !allowEmpty.has(path))) deletePath(context.task, path);
  }
}

/** Checks required fields for presence and JSON type, then optional fields for JSON type. */
export function checkFieldTypes(context: FieldCheckContext): CaptaskError | undefined {
  const allowEmpty = new Set(context.shape.allowEmpty);
  for (const [path, type] of Object.entries(context.shape.required)) {
    if (context.skip.has(path)) continue;
    const { value, parentInvalid } = readPath(context.task, path);
    if (parentInvalid !== undefined) return parentError(parentInvalid);
    if (isAbsent(value, allowEmpty.has(path))) {
      return fieldError(`task.${path}`, `task.${path} is required for ${context.label}`);
    }
    const error = checkType(path, value, type);
    if (error !== undefined) return error;
  }

  const optional: [string, InputFieldType][] = [...Object.entries(context.optional)];
  optional.push(['nocache', 'boolean']);
  for (const [path, type] of optional) {
    if (context.skip.has(path) || Object.hasOwn(context.shape.required, path)) continue;
    const { present, value, parentInvalid } = readPath(context.task, path);
    if (parentInvalid !== undefined) {
      // A parent such as `metadata` matters only when this shape reads fields inside it.
      if (readPath(context.task, parentInvalid).present) return parentError(parentInvalid);
      continue;
    }
    if (!present) continue;
    const error = checkType(path, value, type);
    if (error !== undefined) return error;
  }
  return undefined;
}

/** Checks that each `requiredOneOf` group has at least one field present. */
export function checkRequiredOneOf(context: FieldCheckContext): CaptaskError | undefined {
  for (const group of context.shape.requiredOneOf ?? []) {
    if (group.some((path) => !isAbsent(readPath(context.task, path).value))) continue;

    const names = group.map((path) => `task.${path}`);
    const specific = group.map(fieldErrorCode).find((code) => code !== 'ERROR_TASK_NOT_SUPPORTED');
    const list = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
    return fieldError(names[0] as string, `${list} is required for ${context.label}`, specific);
  }
  return undefined;
}

/** Checks numeric fields against the shape's inclusive bounds. */
export function checkBounds(context: FieldCheckContext): CaptaskError | undefined {
  for (const [path, [min, max]] of Object.entries(context.shape.bounds ?? {})) {
    const { present, value } = readPath(context.task, path);
    if (!present || typeof value !== 'number') continue;
    if (value >= min && value <= max) continue;

    const type = context.shape.required[path] ?? context.optional[path] ?? 'number';
    const kind = type === 'integer' ? 'an integer' : 'a number';
    return fieldError(
      `task.${path}`,
      `task.${path} must be ${kind} from ${min} to ${max}, got ${value}`,
    );
  }
  return undefined;
}

/** Checks that `websiteURL`, when present, is an absolute http or https URL. */
export function checkWebsiteUrl(context: FieldCheckContext): CaptaskError | undefined {
  const value = context.task.websiteURL;
  if (typeof value !== 'string') return undefined;
  if (isHttpUrl(value)) return undefined;
  return fieldError(
    'task.websiteURL',
    `task.websiteURL must be an absolute http(s) URL such as https://example.com/login, got ${quoteValue(value)}`,
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
