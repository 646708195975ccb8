import type { TaskId } from './types';

const DIGITS = /^[0-9]+$/;

/**
 * Parses a reply body like `JSON.parse`, except that an integer top-level `taskId` beyond
 * 2^53 becomes a string with every digit, because a double would round it.
 *
 * @throws SyntaxError when the text is not valid JSON.
 */
export function parseReplyJson(text: string): unknown {
  const span = findTopLevelTaskIdNumber(text);
  if (span === undefined) return JSON.parse(text);

  const digits = text.slice(span.start, span.end);
  if (Number.isSafeInteger(Number(digits))) return JSON.parse(text);
  return JSON.parse(`${text.slice(0, span.start)}"${digits}"${text.slice(span.end)}`);
}

/**
 * Writes a task id as a JSON literal: a number stays a number, a string of digits beyond 2^53
 * (one that `parseReplyJson` made from a number) becomes a number literal again, and any
 * other string stays a JSON string.
 *
 * NOTE: A server that sends an id beyond 2^53 as a JSON string gets it back as a number.
 */
export function taskIdLiteral(taskId: TaskId): string {
  if (typeof taskId === 'number') return String(taskId);
  if (DIGITS.test(taskId) && !Number.isSafeInteger(Number(taskId))) return taskId;
  return JSON.stringify(taskId);
}

/** Finds the number token of `"taskId"` directly inside the outermost object, if any. */
function findTopLevelTaskIdNumber(text: string): { start: number; end: number } | undefined {
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      const end = skipString(text, index);
      if (end < 0) return undefined;
      if (depth === 1 && text.slice(index, end) === '"taskId"') {
        const span = numberAfterColon(text, end);
        if (span !== undefined) return span;
      }
      index = end;
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    if (char === '}' || char === ']') depth -= 1;
    index += 1;
  }
  return undefined;
}

/** Returns the index just past the closing quote of the string starting at `start`, or -1. */
function skipString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === '"') return index + 1;
    index += 1;
  }
  return -1;
}

/** Matches `: 123` after a key and returns the span of a plain integer token. */
function numberAfterColon(text: string, from: number): { start: number; end: number } | undefined {
  const match = /^\s*:\s*(-?[0-9]+)(?=\s*[,}])/.exec(text.slice(from, from + 64));
  if (match?.[1] === undefined) return undefined;
  const start = from + match[0].length - match[1].length;
  return { start, end: start + match[1].length };
}
