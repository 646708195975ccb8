import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TASK_EXAMPLES } from '../../test/task-examples';
import { isProtocolErrorCode } from './error-codes';
import { isCaptaskError } from './errors';
import { TASK_TYPES } from './task-specs';
import { validateTask } from './validate';

function checkResult(input: unknown): void {
  const result = validateTask(input);
  if (result.ok) {
    expect(typeof result.task.type).toBe('string');
    return;
  }
  expect(isCaptaskError(result.error)).toBe(true);
  expect(isProtocolErrorCode(result.error.code)).toBe(true);
  expect(result.error.description.length).toBeGreaterThan(0);
}

/** A task of a known type whose fields are overwritten or joined by arbitrary JSON. */
const mutatedTask = fc
  .record({
    example: fc.constantFrom(...TASK_EXAMPLES),
    extra: fc.dictionary(
      fc.oneof(
        fc.constantFrom('websiteURL', 'websiteKey', 'proxyPort', 'proxyType', 'metadata', 'class'),
        fc.constantFrom(
          'version',
          'body',
          'imagesBase64',
          'cloudflareTaskType',
          'Case',
          '__proto__',
        ),
        fc.string(),
      ),
      fc.jsonValue(),
    ),
  })
  .map(({ example, extra }) => {
    const task: Record<string, unknown> = structuredClone(example.task);
    for (const [key, value] of Object.entries(extra)) {
      Object.defineProperty(task, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return task;
  });

describe('validateTask properties', () => {
  test('any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), checkResult), { numRuns: 500 });
  });

  test('objects with a known type', () => {
    const task = fc
      .record({
        type: fc.constantFrom(...TASK_TYPES),
        rest: fc.dictionary(fc.string(), fc.jsonValue()),
      })
      .map(({ type, rest }) => ({ ...rest, type }));
    fc.assert(fc.property(task, checkResult), { numRuns: 500 });
  });

  test('mutated valid tasks', () => {
    fc.assert(fc.property(mutatedTask, checkResult), { numRuns: 1000 });
  });

  test('accepted tasks validate again unchanged', () => {
    fc.assert(
      fc.property(mutatedTask, (input) => {
        const first = validateTask(input);
        if (!first.ok) return;
        const second = validateTask(first.task);
        if (!second.ok) throw second.error;
        expect(second.task).toEqual(first.task);
      }),
      { numRuns: 500 },
    );
  });
});
