/** Smallest task id minus one: ids are above 2^31 so they never fit a signed 32-bit int. */
export const MIN_TASK_ID_EXCLUSIVE = 2 ** 31;

/**
 * Draws a random task id in (2^31, Number.MAX_SAFE_INTEGER] from `crypto.getRandomValues`.
 * Ids carry 53 random bits, so no id can be derived from another.
 *
 * @example
 * const id = randomTaskId(); // e.g. 6148914691236517
 */
export function randomTaskId(): number {
  const words = new Uint32Array(2);
  for (;;) {
    crypto.getRandomValues(words);
    const high = (words[0] ?? 0) & 0x1f_ffff; // 21 bits, so high * 2^32 + low stays below 2^53
    const id = high * 2 ** 32 + (words[1] ?? 0);
    if (id > MIN_TASK_ID_EXCLUSIVE) return id;
  }
}

/** Result of reading a `taskId` field from a request body. */
export type TaskIdParse = { ok: true; taskId: number } | { ok: false; reason: string };

/**
 * Reads a `taskId` request field: a positive safe integer, or a string of decimal digits
 * holding one (some clients send ids as strings).
 */
export function parseTaskId(value: unknown): TaskIdParse {
  if (value === undefined || value === null) {
    return { ok: false, reason: 'taskId is missing; send the id that createTask returned.' };
  }
  let taskId: number;
  if (typeof value === 'number') {
    taskId = value;
  } else if (typeof value === 'string' && /^\d{1,16}$/.test(value.trim())) {
    taskId = Number(value.trim());
  } else {
    return { ok: false, reason: `taskId must be a positive integer, got ${describeValue(value)}.` };
  }
  if (!Number.isSafeInteger(taskId) || taskId <= 0) {
    return { ok: false, reason: `taskId must be a positive integer, got ${describeValue(value)}.` };
  }
  return { ok: true, taskId };
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const excerpt = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `the string ${JSON.stringify(excerpt)}`;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
