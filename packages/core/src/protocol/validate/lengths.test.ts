import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_FIELD_LENGTHS, type TaskValidation, validateTask } from '../validate';

const turnstile = {
  type: 'TurnstileTask',
  websiteURL: 'https://example.com/login',
  websiteKey: '0x4AAAAAAAexample',
};

function rejected(result: TaskValidation): { code: string; description: string; field: unknown } {
  if (result.ok) throw new Error(`accepted ${JSON.stringify(result.task).slice(0, 200)}`);
  return {
    code: result.error.code,
    description: result.error.description,
    field: result.error.details?.field,
  };
}

describe('field length limits', () => {
  test('a 1 MB userAgent', () => {
    const error = rejected(validateTask({ ...turnstile, userAgent: 'x'.repeat(1 << 20) }));
    expect(error.code).toBe('ERROR_WRONG_USERAGENT');
    expect(error.field).toBe('task.userAgent');
    expect(error.description).toBe('task.userAgent has 1048576 characters; the maximum is 2048');
  });

  test.each([
    ['websiteURL', `https://example.com/?q=${'a'.repeat(8_192)}`, 'ERROR_RECAPTCHA_INVALID_DOMAIN'],
    ['websiteKey', 'k'.repeat(1_025), 'ERROR_RECAPTCHA_INVALID_SITEKEY'],
    ['proxyPassword', 'p'.repeat(1_025), 'ERROR_PROXY_MISSING'],
    ['proxyAddress', 'h'.repeat(256), 'ERROR_PROXY_MISSING'],
  ])('a long %s', (field, value, code) => {
    const proxy = { proxyType: 'http', proxyAddress: '10.0.0.1', proxyPort: 8080 };
    const error = rejected(validateTask({ ...turnstile, ...proxy, [field]: value }));
    expect(error.code).toBe(code);
    expect(error.field).toBe(`task.${field}`);
  });

  test('never echoes the value', () => {
    const secret = `secret-${'p'.repeat(2_000)}`;
    const task = { ...turnstile, proxyType: 'http', proxyAddress: '10.0.0.1', proxyPort: 8080 };
    const error = rejected(validateTask({ ...task, proxyLogin: 'user', proxyPassword: secret }));
    expect(error.description).not.toContain('secret');
  });

  test('a nested URL field', () => {
    const task = {
      type: 'CustomTask',
      class: 'DataDome',
      websiteURL: 'https://example.com/',
      userAgent: 'Mozilla/5.0',
      metadata: {
        captchaUrl: `https://geo.example.com/?c=${'a'.repeat(9_000)}`,
        datadomeCookie: 'x',
      },
    };
    const error = rejected(validateTask(task));
    expect(error.field).toBe('task.metadata.captchaUrl');
  });

  test('a value at the limit', () => {
    const userAgent = 'u'.repeat(DEFAULT_MAX_FIELD_LENGTHS.userAgent as number);
    expect(validateTask({ ...turnstile, userAgent }).ok).toBe(true);
  });

  test('a raised and a removed limit', () => {
    const task = { ...turnstile, userAgent: 'u'.repeat(3_000), websiteKey: 'k'.repeat(5_000) };
    const options = { maxFieldLengths: { userAgent: 4_096, websiteKey: Number.POSITIVE_INFINITY } };
    expect(validateTask(task, options).ok).toBe(true);
    const lowered = rejected(validateTask(turnstile, { maxFieldLengths: { websiteKey: 4 } }));
    expect(lowered.description).toBe('task.websiteKey has 17 characters; the maximum is 4');
  });

  test.each([0, -1, 1.5, Number.NaN])('rejects the limit %s', (max) => {
    expect(() => validateTask(turnstile, { maxFieldLengths: { userAgent: max } })).toThrow(
      RangeError,
    );
  });
});
