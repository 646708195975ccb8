import type { TaskShape, TaskSpec } from '../task-specs/types';

export type JsonObject = Record<string, unknown>;

/** Tells whether a value is a JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets an own property. Plain assignment would treat a `__proto__` key from `JSON.parse` as
 * the prototype, so every copy of caller data goes through here. `__proto__` is the only
 * accessor that a plain object inherits, so every other key takes the cheaper assignment.
 */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key !== '__proto__') {
    target[key] = value;
    return;
  }
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const PROXY_FIELDS = ['proxyType', 'proxyAddress', 'proxyPort', 'proxyLogin', 'proxyPassword'];

function shapesOf(spec: TaskSpec): TaskShape[] {
  return [spec, ...Object.values(spec.variants ?? {})];
}

/** Canonical field names of a type by their lower-case form: top-level and per nested object. */
interface KnownNames {
  top: Map<string, string>;
  nested: Map<string, Map<string, string>>;
}

const knownNamesCache = new WeakMap<TaskSpec, KnownNames>();

function knownNamesOf(spec: TaskSpec): KnownNames {
  const cached = knownNamesCache.get(spec);
  if (cached !== undefined) return cached;

  const known: KnownNames = { top: new Map(), nested: new Map() };
  const add = (path: string): void => {
    const [head = path, ...rest] = path.split('.');
    known.top.set(head.toLowerCase(), head);
    if (rest.length === 0) return;
    const inner = known.nested.get(head) ?? new Map<string, string>();
    inner.set(rest.join('.').toLowerCase(), rest.join('.'));
    known.nested.set(head, inner);
  };
  for (const name of ['type', 'nocache', ...PROXY_FIELDS]) add(name);
  if (typeof spec.discriminator === 'string') add(spec.discriminator);
  for (const shape of shapesOf(spec)) {
    for (const name of Object.keys(shape.required)) add(name);
    for (const name of Object.keys(shape.optional)) add(name);
  }
  knownNamesCache.set(spec, known);
  return known;
}

/**
 * Copies an object with each key that matches a known name case-insensitively renamed to the
 * known spelling. When two keys map to one name, the exactly spelled key wins, otherwise the
 * first; the other is dropped.
 */
function renameKeys(source: JsonObject, names: ReadonlyMap<string, string>): JsonObject {
  const result: JsonObject = {};
  const exact = new Set<string>();
  for (const key of Object.keys(source)) {
    const name = names.get(key.toLowerCase()) ?? key;
    if (exact.has(name)) continue;
    if (Object.hasOwn(result, name) && key !== name) continue;
    if (key === name) exact.add(name);
    setOwn(result, name, source[key]);
  }
  return result;
}

/**
 * Copies a task with field names rewritten to the spec's casing, nested objects such as
 * `metadata` included. Unknown fields keep their names.
 */
export function canonicalizeKeys(task: JsonObject, spec: TaskSpec): JsonObject {
  const known = knownNamesOf(spec);
  const result = renameKeys(task, known.top);
  for (const [parent, names] of known.nested) {
    const value = result[parent];
    if (Object.hasOwn(result, parent) && isJsonObject(value)) {
      setOwn(result, parent, renameKeys(value, names));
    }
  }
  return result;
}

/** Finds the `type` value of a raw task, matching the key case-insensitively. */
export function readTypeField(task: JsonObject): { found: boolean; value: unknown } {
  if (Object.hasOwn(task, 'type')) return { found: true, value: task.type };
  const key = Object.keys(task).find((name) => name.toLowerCase() === 'type');
  return key === undefined ? { found: false, value: undefined } : { found: true, value: task[key] };
}

/** Value at a dotted path such as `metadata.Grid`; `parentInvalid` when a parent is not an object. */
export interface PathValue {
  present: boolean;
  value: unknown;
  parentInvalid?: string;
}

const ABSENT: PathValue = Object.freeze({ present: false, value: undefined });

/** The parts of each dotted path read so far; spec tables hold a fixed set of paths. */
const pathParts = new Map<string, readonly string[]>();

function partsOf(path: string): readonly string[] {
  let parts = pathParts.get(path);
  if (parts === undefined) {
    parts = path.split('.');
    // Caller-given paths (maxFieldLengths) could grow the cache without bound.
    if (pathParts.size < 4_096) pathParts.set(path, parts);
  }
  return parts;
}

/** Reads a dotted path of a task. */
export function readPath(task: JsonObject, path: string): PathValue {
  if (!path.includes('.')) {
    return Object.hasOwn(task, path) ? { present: true, value: task[path] } : ABSENT;
  }
  const parts = partsOf(path);
  let current: unknown = task;
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index] as string;
    if (!isJsonObject(current)) {
      return { present: false, value: undefined, parentInvalid: parts.slice(0, index).join('.') };
    }
    if (!Object.hasOwn(current, part)) return ABSENT;
    current = current[part];
  }
  return { present: true, value: current };
}

/** Removes the field at a dotted path, when its parent objects exist. */
export function deletePath(task: JsonObject, path: string): void {
  const parts = path.split('.');
  const last = parts.pop() as string;
  let current: unknown = task;
  for (const part of parts) {
    if (!isJsonObject(current)) return;
    current = current[part];
  }
  if (isJsonObject(current)) delete current[last];
}

/**
 * Tells whether a value counts as absent: `undefined`, `null`, an empty array, or `""` unless
 * the field allows the empty string.
 */
export function isAbsent(value: unknown, allowEmptyString = false): boolean {
  if (value === undefined || value === null) return true;
  if (value === '') return !allowEmptyString;
  return Array.isArray(value) && value.length === 0;
}
