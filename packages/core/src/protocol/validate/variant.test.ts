import { describe, expect, test } from 'vitest';
import { type TaskValidation, validateTask } from '../validate';

const geeTest = { type: 'GeeTestTask', websiteURL: 'https://example.com/', gt: 'gt' };
const turnstile = { type: 'TurnstileTask', websiteURL: 'https://example.com/', websiteKey: 'k' };

function errorOf(result: TaskValidation): { code: string; description: string } {
  if (result.ok) throw new Error(`accepted ${JSON.stringify(result.task)}`);
  return { code: result.error.code, description: result.error.description };
}

describe('GeeTest version', () => {
  test.each([
    [4, 4],
    ['4', 4],
  ])('version %j is v4 and becomes %j', (version, normalized) => {
    const result = validateTask({ ...geeTest, version });
    if (!result.ok) throw result.error;
    expect(result.variant).toBe('4');
    expect(result.task.version).toBe(normalized);
  });

  test.each([3, '3'])('version %j is v3', (version) => {
    const result = validateTask({ ...geeTest, version, challenge: 'c' });
    if (!result.ok) throw result.error;
    expect(result.variant).toBe('3');
    expect(result.task.version).toBe(3);
  });

  test.each([null, ''])('version %j means v3', (version) => {
    const result = validateTask({ ...geeTest, version, challenge: 'c' });
    if (!result.ok) throw result.error;
    expect(result.variant).toBe('3');
    expect(result.task).not.toHaveProperty('version');
  });

  test('v3 needs challenge', () => {
    const error = errorOf(validateTask({ ...geeTest, version: 3 }));
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toBe('task.challenge is required for GeeTestTask version 3');
  });

  test.each([[5], ['v4'], [4.5], [true]])('version %j is rejected', (version) => {
    const error = errorOf(validateTask({ ...geeTest, version }));
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toMatch(/^task\.version must be one of 3, 4 for GeeTestTask, got /);
  });
});

describe('Turnstile cloudflareTaskType', () => {
  test('absent is the widget', () => {
    const result = validateTask(turnstile);
    if (!result.ok) throw result.error;
    expect(result.variant).toBe('_default');
  });

  test('token mode needs its fields', () => {
    const error = errorOf(validateTask({ ...turnstile, cloudflareTaskType: 'token' }));
    expect(error.description).toBe(
      'task.pageAction is required for TurnstileTask with cloudflareTaskType token',
    );
  });

  test('cf_clearance needs a userAgent', () => {
    const error = errorOf(
      validateTask({ ...turnstile, cloudflareTaskType: 'cf_clearance', htmlPageBase64: 'h' }),
    );
    expect(error.code).toBe('ERROR_WRONG_USERAGENT');
  });

  test('value matches case-insensitively', () => {
    const result = validateTask({
      ...turnstile,
      cloudflareTaskType: 'CF_Clearance',
      htmlPageBase64: 'h',
      userAgent: 'UA',
      proxyType: 'http',
      proxyAddress: '203.0.113.1',
      proxyPort: 80,
    });
    if (!result.ok) throw result.error;
    expect(result.task.cloudflareTaskType).toBe('cf_clearance');
  });

  test('unknown mode', () => {
    const error = errorOf(validateTask({ ...turnstile, cloudflareTaskType: 'captcha' }));
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toBe(
      'task.cloudflareTaskType must be one of token, cf_clearance, wait_room for TurnstileTask, got "captcha"',
    );
  });
});

describe('class', () => {
  test('CustomTask without class', () => {
    const error = errorOf(validateTask({ type: 'CustomTask', websiteURL: 'https://example.com/' }));
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toMatch(
      /^task\.class is required for CustomTask; use one of: DataDome, /,
    );
  });

  test('unknown CustomTask class', () => {
    const error = errorOf(
      validateTask({ type: 'CustomTask', class: 'Kasada', websiteURL: 'https://example.com/' }),
    );
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toMatch(
      /^task\.class must be one of DataDome, .* for CustomTask, got "Kasada"$/,
    );
  });

  test('non-string class', () => {
    const error = errorOf(validateTask({ type: 'ComplexImageTask', class: 3 }));
    expect(error.description).toMatch(/, got an integer$/);
  });

  test('class value matches case-insensitively', () => {
    const result = validateTask({
      type: 'CustomTask',
      class: 'basilisk',
      websiteURL: 'https://example.com/',
      websiteKey: 'k',
    });
    if (!result.ok) throw result.error;
    expect(result.task.class).toBe('Basilisk');
    expect(result.variant).toBe('Basilisk');
  });
});

describe('Amazon field sets', () => {
  const amazon = { type: 'AmazonTask', websiteURL: 'https://example.com/', websiteKey: 'k' };

  test('nothing beyond the common fields', () => {
    const error = errorOf(validateTask(amazon));
    expect(error.description).toBe(
      'task.captchaScript is required for AmazonTask, which needs websiteURL, websiteKey and one of these field sets: captchaScript; or challengeScript, context, iv; or challengeScript, captchaScript, context, iv',
    );
  });

  test('partial challenge set names the gap', () => {
    const error = errorOf(validateTask({ ...amazon, challengeScript: 'c', context: 'x' }));
    expect(error.description).toMatch(/^task\.iv is required for AmazonTask/);
  });

  test('"" is allowed only in the invisible set', () => {
    const error = errorOf(
      validateTask({ ...amazon, captchaScript: '', challengeScript: 'c', context: 'x' }),
    );
    expect(error.description).toMatch(/^task\.iv is required/);
  });

  test('optional captchaScript null is dropped', () => {
    const result = validateTask({
      ...amazon,
      challengeScript: 'c',
      context: 'x',
      iv: 'y',
      captchaScript: null,
    });
    if (!result.ok) throw result.error;
    expect(result.variant).toBe('option2_challenge_and_captcha');
    expect(result.task).not.toHaveProperty('captchaScript');
  });
});
