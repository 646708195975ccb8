/** Smallest task id minus one: ids are above 2^31 so they never fit a signed 32-bit int. */
export const MIN_TASK_ID_EXCLUSIVE = 2 ** 31;

// One getRandomValues call fills the words of 128 ids, because a call per id cost about 6% of
// server CPU in a createTask load on Node 20 (CPU profile).
const randomWords = new Uint32Array(256);
let randomOffset = randomWords.length;

/**
 * Draws a random task id in (2^31, Number.MAX_SAFE_INTEGER] from `crypto.getRandomValues`.
 * Ids carry 53 random bits, so no id can be derived from another.
 *
 * @example
 * const id = randomTaskId(); // e.g. 6148914691236517
 */
export function randomTaskId(): number {
  for (;;) {
    if (randomOffset >= randomWords.length) {
      crypto.getRandomValues(randomWords);
      randomOffset = 0;
    }
    const high = (randomWords[randomOffset] ?? 0) & 0x1f_ffff; // 21 bits keep the id below 2^53
    const id = high * 2 ** 32 + (randomWords[randomOffset + 1] ?? 0);
    // Each pair is used once, so an id reveals nothing about the ids after it.
    randomOffset += 2;
    if (id > MIN_TASK_ID_EXCLUSIVE) return id;
  }
}

/** Result of reading a `taskId` field from a request body. */
export type TaskIdParse = { ok: true; taskId: number } | { ok: false; reason: string };

export interface ParseTaskIdOptions {
  /**
   * The request body as it was sent. A JSON number above 2^53 - 1 loses digits in
   * `JSON.parse`, so the message quotes the number from this text when it can find it.
   */
  sourceText?: string;
}

/**
 * Reads a `taskId` request field: a positive safe integer, or a string of decimal digits
 * holding one (some clients send ids as strings). For an id above Number.MAX_SAFE_INTEGER,
 * the reason states that limit and quotes the id as the caller sent it.
 *
 * @example
 * parseTaskId('3000000000'); // { ok: true, taskId: 3000000000 }
 */
export function parseTaskId(value: unknown, options: ParseTaskIdOptions = {}): TaskIdParse {
  if (value === undefined || value === null) {
    return { ok: false, reason: 'taskId is missing; send the id that createTask returned.' };
  }

  if (typeof value === 'string') {
    const digits = value.trim();
    if (!/^\d+$/.test(digits)) return notAnId(value);
    const taskId = Number(digits);
    if (!Number.isSafeInteger(taskId)) return tooLarge(JSON.stringify(excerpt(digits)));
    return taskId > 0 ? { ok: true, taskId } : notAnId(value);
  }

  if (typeof value !== 'number') return notAnId(value);
  if (Number.isInteger(value) && value > Number.MAX_SAFE_INTEGER) {
    return tooLarge(numberLiteral(options.sourceText) ?? String(value));
  }
  return Number.isSafeInteger(value) && value > 0 ? { ok: true, taskId: value } : notAnId(value);
}

function notAnId(value: unknown): TaskIdParse {
  return { ok: false, reason: `taskId must be a positive integer, got ${describeValue(value)}.` };
}

function tooLarge(shown: string): TaskIdParse {
  return {
    ok: false,
    reason: `taskId ${shown} exceeds ${Number.MAX_SAFE_INTEGER}, the largest safe integer, so no task has it; send the taskId that createTask returned.`,
  };
}

/** Finds the number literal of the first `taskId` key (in any casing) in a JSON text. */
function numberLiteral(sourceText: string | undefined): string | undefined {
  const match = /"taskid"\s*:\s*(-?\d[\d.eE+-]*)/i.exec(sourceText ?? '');
  return match?.[1] === undefined ? undefined : excerpt(match[1]);
}

function excerpt(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(excerpt(value))}`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
