import type { CaptaskError } from '../errors';
import type { TaskShape, TaskSpec } from '../task-specs/types';
import { fieldError, jsonTypeName, quoteValue } from './field-errors';
import { isAbsent, type JsonObject, readPath, setOwn } from './keys';

/** The shape that applies to a task, and how messages name it. */
export interface SelectedVariant {
  /** Variant key, such as `DataDome` or `cf_clearance`; `undefined` for types without variants. */
  key: string | undefined;
  shape: TaskShape;
  /** The type and variant for messages, such as `CustomTask class DataDome`. */
  label: string;
}

type Selection = { ok: true; variant: SelectedVariant } | { ok: false; error: CaptaskError };

/**
 * Picks the variant of a task by its discriminator field (`class`, `cloudflareTaskType`,
 * `version`) and rewrites that field to the spec's spelling: class names match
 * case-insensitively and GeeTest's `version` becomes the integer 3 or 4. Types whose variants
 * are alternative field sets (AmazonTask) get the first complete set.
 */
export function selectVariant(task: JsonObject, spec: TaskSpec): Selection {
  const variants = spec.variants;
  if (variants === undefined) {
    return { ok: true, variant: { key: undefined, shape: spec, label: spec.type } };
  }
  if (typeof spec.discriminator !== 'string') return selectFieldSet(task, spec, variants);

  const field = spec.discriminator;
  const keys = Object.keys(variants).filter((key) => key !== '_default');
  const raw = task[field];
  if (isAbsent(raw)) {
    delete task[field];
    const fallback = spec.defaultVariant;
    const shape = fallback === undefined ? undefined : variants[fallback];
    if (fallback !== undefined && shape !== undefined) {
      return {
        ok: true,
        variant: { key: fallback, shape, label: variantLabel(spec, field, fallback) },
      };
    }
    const description = `task.${field} is required for ${spec.type}; use one of: ${keys.join(', ')}`;
    return { ok: false, error: fieldError(`task.${field}`, description) };
  }

  const key = matchVariantKey(raw, field, keys);
  const shape = key === undefined ? undefined : variants[key];
  if (key === undefined || shape === undefined) {
    const got = typeof raw === 'string' ? quoteValue(raw) : jsonTypeName(raw);
    const description = `task.${field} must be one of ${keys.join(', ')} for ${spec.type}, got ${got}`;
    return { ok: false, error: fieldError(`task.${field}`, description) };
  }

  setOwn(task, field, field === 'version' ? Number(key) : key);
  return { ok: true, variant: { key, shape, label: variantLabel(spec, field, key) } };
}

function variantLabel(spec: TaskSpec, field: string, key: string): string {
  if (key === '_default') return spec.type;
  if (field === 'class') return `${spec.type} class ${key}`;
  if (field === 'version') return `${spec.type} version ${key}`;
  return `${spec.type} with ${field} ${key}`;
}

function matchVariantKey(raw: unknown, field: string, keys: string[]): string | undefined {
  if (field === 'version' && Number.isInteger(raw)) return keys.find((key) => key === String(raw));
  if (typeof raw !== 'string') return undefined;
  return (
    keys.find((key) => key === raw) ?? keys.find((key) => key.toLowerCase() === raw.toLowerCase())
  );
}

function missingFields(task: JsonObject, shape: TaskShape): string[] {
  const allowEmpty = new Set(shape.allowEmpty);
  return Object.keys(shape.required).filter((path) =>
    isAbsent(readPath(task, path).value, allowEmpty.has(path)),
  );
}

/** Picks the first variant whose required fields are all present, else names the nearest gap. */
function selectFieldSet(
  task: JsonObject,
  spec: TaskSpec,
  variants: Readonly<Record<string, TaskShape>>,
): Selection {
  // The nearest set misses the fewest fields. On a tie the set with more fields present wins,
  // so a task with challengeScript and context but no iv gets an error that names iv.
  let nearest: { missing: string[]; present: number } | undefined;
  for (const [key, shape] of Object.entries(variants)) {
    const missing = missingFields(task, shape);
    if (missing.length === 0) return { ok: true, variant: { key, shape, label: spec.type } };

    const present = Object.keys(shape.required).length - missing.length;
    const closer =
      nearest === undefined ||
      missing.length < nearest.missing.length ||
      (missing.length === nearest.missing.length && present > nearest.present);
    if (closer) nearest = { missing, present };
  }

  const common = Object.keys(spec.required);
  const sets = Object.values(variants).map((shape) =>
    Object.keys(shape.required)
      .filter((path) => !common.includes(path))
      .join(', '),
  );
  const first = nearest?.missing[0] ?? common[0] ?? 'type';
  const description = `task.${first} is required for ${spec.type}, which needs ${common.join(', ')} and one of these field sets: ${sets.join('; or ')}`;
  return { ok: false, error: fieldError(`task.${first}`, description) };
}
