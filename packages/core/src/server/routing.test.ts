import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeOf } from './routing';

/** Computes the last segment and log fields from `new URL`, the reference for the fast path. */
function referenceRoute(url: string): { segment: string; logFields: Record<string, number> } {
  const path = new URL(url).pathname;
  const segments = path.split('/').filter((part) => part.length > 0);
  return {
    segment: segments[segments.length - 1] ?? '',
    logFields: { pathSegments: segments.length, pathLength: path.length },
  };
}

describe('routeOf', () => {
  it.each([
    ['http://127.0.0.1:8080/createTask', 'createTask', 1, 11],
    ['http://127.0.0.1:8080/captask/GETTASKRESULT?x=1', 'getTaskResult', 2, 22],
    ['https://example.test/api/v2/getBalance#frag', 'getBalance', 3, 18],
    ['http://localhost', undefined, 0, 1],
    ['http://localhost/', undefined, 0, 1],
    ['http://localhost//getBalance//', 'getBalance', 1, 14],
    ['http://localhost/a/../getBalance', 'getBalance', 1, 11],
    ['http://localhost/%67etBalance', undefined, 1, 13],
    ['http://localhost/x/.%2E/createTask', 'createTask', 1, 11],
  ])('routes %s', (url, method, pathSegments, pathLength) => {
    const route = routeOf(url);
    expect(route.method).toBe(method);
    expect(route.logFields).toEqual({ pathSegments, pathLength });
  });

  it('reads the same path as new URL for any URL', () => {
    const pathChar = fc.constantFrom(...'aZ09_~-/./%2E?#@:;\\ '.split(''), 'gettaskresult', '..');
    const url = fc
      .tuple(
        fc.constantFrom('http://127.0.0.1:1', 'https://example.test', 'http://u:p@host'),
        fc.array(pathChar, { maxLength: 12 }),
      )
      .map(([origin, parts]) => `${origin}/${parts.join('')}`)
      .filter((text) => URL.canParse(text));
    fc.assert(
      fc.property(url, (text) => {
        const expected = referenceRoute(text);
        const route = routeOf(text);
        expect(route.segment).toBe(expected.segment);
        expect(route.logFields).toEqual(expected.logFields);
      }),
      { numRuns: 2_000 },
    );
  });
});
