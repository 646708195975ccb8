import { describe, expect, test } from 'vitest';
import { PROXY, TASK_EXAMPLES } from '../../test/task-examples';
import { TASK_SPECS, TASK_TYPES } from './task-specs';
import type { TaskShape } from './task-specs/types';
import { validateTask } from './validate';

/** Error code for a missing required field, as the validator documents it. */
function expectedMissingCode(path: string): string {
  if (path === 'websiteURL') return 'ERROR_RECAPTCHA_INVALID_DOMAIN';
  if (path === 'websiteKey' || path === 'websitePublicKey')
    return 'ERROR_RECAPTCHA_INVALID_SITEKEY';
  if (path === 'userAgent') return 'ERROR_WRONG_USERAGENT';
  if (path === 'body' || path === 'imagesBase64') return 'ERROR_ZERO_CAPTCHA_FILESIZE';
  return 'ERROR_TASK_NOT_SUPPORTED';
}

function shapeOf(type: string, variant: string | undefined): TaskShape {
  const spec = TASK_SPECS[type as keyof typeof TASK_SPECS];
  if (variant === undefined) return spec;
  const shape = spec.variants?.[variant];
  if (shape === undefined) throw new Error(`no variant ${variant} in ${type}`);
  return shape;
}

function withoutPath(task: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = structuredClone(task);
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) delete copy[head];
  else delete (copy[head] as Record<string, unknown>)[tail];
  return copy;
}

describe('validateTask examples', () => {
  test('cover every type and variant', () => {
    const covered = new Set(TASK_EXAMPLES.map((example) => example.task.type));
    for (const type of TASK_TYPES) expect(covered, type).toContain(type);

    for (const type of TASK_TYPES) {
      const spec = TASK_SPECS[type];
      if (spec.variants === undefined || spec.aliasOf !== undefined) continue;
      const variants = TASK_EXAMPLES.filter((example) => example.task.type === type).map(
        (example) => example.variant,
      );
      expect(variants.sort(), type).toEqual(Object.keys(spec.variants).sort());
    }
  });

  test.each(TASK_EXAMPLES.map((example) => [example.task.type, example.variant ?? '-', example]))(
    'accepts minimal %s (%s)',
    (type, _variant, example) => {
      const result = validateTask(example.task);
      if (!result.ok) throw result.error;

      expect(result.canonicalType).toBe(TASK_SPECS[type as keyof typeof TASK_SPECS].canonicalType);
      expect(result.variant).toBe(example.variant);
      expect(result.task.type).toBe(type);
    },
  );

  const missingCases = TASK_EXAMPLES.flatMap((example) => {
    const spec = TASK_SPECS[example.task.type as keyof typeof TASK_SPECS];
    const shape = shapeOf(example.task.type, example.variant);
    return Object.keys(shape.required)
      .filter((path) => path !== spec.discriminator || spec.defaultVariant === undefined)
      .filter((path) => path in example.task || path.includes('.'))
      .map((path) => [example.task.type, example.variant ?? '-', path, example.task] as const);
  });

  test('missing-field cases exist for every example', () => {
    const labels = new Set(missingCases.map(([type, variant]) => `${type}/${variant}`));
    for (const example of TASK_EXAMPLES) {
      expect(labels).toContain(`${example.task.type}/${example.variant ?? '-'}`);
    }
  });

  test.each(missingCases)('rejects %s (%s) without %s', (_type, _variant, path, task) => {
    const result = validateTask(withoutPath(task, path));
    if (result.ok) throw new Error(`accepted a task without ${path}`);

    if (path === 'class') {
      expect(result.error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
      expect(result.error.description).toMatch(/^task\.class is required for/);
      return;
    }
    if (path === 'version') {
      // Without a version, GeeTest falls back to v3, which needs challenge.
      expect(result.error.details).toEqual({ field: 'task.challenge' });
      return;
    }
    expect(result.error.details).toEqual({ field: `task.${path}` });
    expect(result.error.code).toBe(expectedMissingCode(path.split('.').pop() as string));
    expect(result.error.description).toContain(`task.${path} is required for ${task.type}`);
  });
});

describe('validateTask aliases', () => {
  const aliases = TASK_TYPES.filter((type) => TASK_SPECS[type].aliasOf !== undefined);

  test('eleven legacy aliases', () => {
    expect(aliases).toHaveLength(11);
  });

  test.each(aliases)('%s resolves to its current type', (alias) => {
    const example = TASK_EXAMPLES.find((item) => item.task.type === alias);
    const result = validateTask(example?.task);
    if (!result.ok) throw result.error;
    expect(result.canonicalType).toBe(TASK_SPECS[alias].aliasOf);
  });

  test.each(aliases.filter((alias) => alias.endsWith('Proxyless')))(
    '%s drops proxy fields',
    (alias) => {
      const example = TASK_EXAMPLES.find((item) => item.task.type === alias);
      const result = validateTask({ ...example?.task, ...PROXY });
      if (!result.ok) throw result.error;
      for (const field of Object.keys(PROXY)) expect(result.task).not.toHaveProperty(field);
    },
  );

  test('NoCaptchaTask keeps its proxy', () => {
    const result = validateTask({
      type: 'NoCaptchaTask',
      websiteURL: 'https://example.com/',
      websiteKey: 'k',
      ...PROXY,
    });
    if (!result.ok) throw result.error;
    expect(result.task.proxyPort).toBe(3128);
    expect(result.task.proxyPassword).toBe('secret-pass');
  });

  test('type matches case-insensitively', () => {
    const result = validateTask({
      type: 'GeeTestTaskProxyLess',
      websiteURL: 'https://example.com/',
      gt: 'g',
      challenge: 'c',
    });
    if (!result.ok) throw result.error;
    expect(result.task.type).toBe('GeeTestTaskProxyless');
    expect(result.canonicalType).toBe('GeeTestTask');
  });
});

describe('validateTask task and type errors', () => {
  test.each([undefined, null])('%s task is ERROR_TASK_ABSENT', (input) => {
    const result = validateTask(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('ERROR_TASK_ABSENT');
    expect(result.error.description).toBe('task is missing; send a JSON object with a type field');
  });

  test.each([[[]], ['text'], [42], [true]])('non-object task %j is ERROR_TASK_ABSENT', (input) => {
    const result = validateTask(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('ERROR_TASK_ABSENT');
    expect(result.error.description).toMatch(/^task must be a JSON object with a type field, got /);
  });

  test('missing type', () => {
    const result = validateTask({ websiteURL: 'https://example.com/' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(result.error.description).toMatch(/^task\.type is required/);
  });

  test('non-string type', () => {
    const result = validateTask({ type: 7 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(result.error.description).toBe('task.type must be a string, got an integer');
  });

  test('unknown type is named', () => {
    const result = validateTask({ type: 'NotARealTask', websiteURL: 'https://example.com/' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(result.error.description).toContain(
      'task.type "NotARealTask" is not a supported task type',
    );
    expect(result.error.description).toContain('RecaptchaV2Task');
  });

  test('long unknown type is cut', () => {
    const result = validateTask({ type: 'X'.repeat(10_000) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.description.length).toBeLessThan(600);
  });

  test('input is not modified', () => {
    const input = {
      type: 'NoCaptchaTaskProxyless',
      websiteUrl: 'https://example.com/',
      websiteKey: 'k',
      userAgent: null,
      ...PROXY,
    };
    const before = structuredClone(input);
    validateTask(input);
    expect(input).toEqual(before);
  });

  test('invalid options throw RangeError', () => {
    expect(() => validateTask({}, { minImageBytes: -1 })).toThrow(RangeError);
    expect(() => validateTask({}, { minImageBytes: 10, maxImageBytes: 5 })).toThrow(RangeError);
    expect(() => validateTask({}, { maxImageBytes: Number.NaN })).toThrow(RangeError);
  });
});
