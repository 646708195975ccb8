import { describe, expect, test } from 'vitest';
import { PROXY } from '../../../test/task-examples';
import { type TaskValidation, validateTask } from '../validate';

const v2 = { type: 'RecaptchaV2Task', websiteURL: 'https://example.com/', websiteKey: 'k' };
const dataDome = {
  type: 'CustomTask',
  class: 'DataDome',
  websiteURL: 'https://example.com/',
  metadata: {
    captchaUrl: 'https://geo.captcha-delivery.com/captcha/',
    datadomeCookie: 'datadome=a',
  },
};

function errorOf(result: TaskValidation): { code: string; description: string; field: unknown } {
  if (result.ok) throw new Error(`accepted ${JSON.stringify(result.task)}`);
  return {
    code: result.error.code,
    description: result.error.description,
    field: result.error.details?.field,
  };
}

describe('optional proxy', () => {
  test('no proxy is fine', () => {
    expect(validateTask(v2).ok).toBe(true);
  });

  test('complete proxy is kept', () => {
    const result = validateTask({ ...v2, ...PROXY });
    if (!result.ok) throw result.error;
    expect(result.task).toMatchObject(PROXY);
  });

  test('login without a proxy', () => {
    const error = errorOf(validateTask({ ...v2, proxyLogin: 'user' }));
    expect(error.code).toBe('ERROR_PROXY_MISSING');
    expect(error.description).toBe(
      'task.proxyType is missing; a proxy needs task.proxyType, task.proxyAddress and task.proxyPort',
    );
  });

  test.each(['proxyType', 'proxyAddress', 'proxyPort'])('missing %s', (field) => {
    const task: Record<string, unknown> = { ...v2, ...PROXY };
    delete task[field];
    const error = errorOf(validateTask(task));
    expect(error.code).toBe('ERROR_PROXY_MISSING');
    expect(error.field).toBe(`task.${field}`);
  });

  test('null and "" proxy fields count as absent', () => {
    const result = validateTask({
      ...v2,
      proxyType: '',
      proxyAddress: null,
      proxyPort: null,
      proxyLogin: '',
    });
    if (!result.ok) throw result.error;
    expect(result.task).not.toHaveProperty('proxyType');
    expect(result.task).not.toHaveProperty('proxyLogin');
  });

  test.each(['http', 'https', 'socks4', 'socks5'])('proxyType %s', (proxyType) => {
    expect(validateTask({ ...v2, ...PROXY, proxyType }).ok).toBe(true);
  });

  test('proxyType is lower-cased', () => {
    const result = validateTask({ ...v2, ...PROXY, proxyType: 'SOCKS5' });
    if (!result.ok) throw result.error;
    expect(result.task.proxyType).toBe('socks5');
  });

  test.each([['ftp'], ['socks'], [5]])('proxyType %j is rejected', (proxyType) => {
    const error = errorOf(validateTask({ ...v2, ...PROXY, proxyType }));
    expect(error.code).toBe('ERROR_PROXY_MISSING');
    expect(error.description).toMatch(
      /^task\.proxyType must be one of http, https, socks4, socks5, got /,
    );
  });

  test.each([[1], [65535]])('proxyPort %j is accepted', (proxyPort) => {
    expect(validateTask({ ...v2, ...PROXY, proxyPort }).ok).toBe(true);
  });

  test.each([[0], [65536], [80.5], ['8080'], [-1]])('proxyPort %j is rejected', (proxyPort) => {
    const error = errorOf(validateTask({ ...v2, ...PROXY, proxyPort }));
    expect(error.code).toBe('ERROR_PROXY_MISSING');
    expect(error.description).toBe('task.proxyPort must be an integer from 1 to 65535');
  });

  test('non-string proxyAddress', () => {
    const error = errorOf(validateTask({ ...v2, ...PROXY, proxyAddress: 12345 }));
    expect(error.field).toBe('task.proxyAddress');
  });

  test('non-string password is not echoed', () => {
    const error = errorOf(validateTask({ ...v2, ...PROXY, proxyPassword: 987654321 }));
    expect(error.code).toBe('ERROR_PROXY_MISSING');
    expect(error.description).toBe('task.proxyPassword must be a string');
    expect(error.description).not.toContain('987654321');
  });

  test('proxy field names match case-insensitively', () => {
    const result = validateTask({
      ...v2,
      ProxyType: 'http',
      PROXYADDRESS: '203.0.113.1',
      proxyport: 80,
    });
    if (!result.ok) throw result.error;
    expect(result.task).toMatchObject({
      proxyType: 'http',
      proxyAddress: '203.0.113.1',
      proxyPort: 80,
    });
  });
});

describe('required proxy', () => {
  const requiredCases: [string, Record<string, unknown>][] = [
    ['DataDome', dataDome],
    [
      'Imperva',
      {
        type: 'CustomTask',
        class: 'Imperva',
        websiteURL: 'https://example.com/',
        metadata: { incapsulaScriptUrl: 'u', incapsulaCookies: 'c' },
      },
    ],
    [
      'HUNT',
      {
        type: 'CustomTask',
        class: 'HUNT',
        websiteURL: 'https://example.com/',
        metadata: { apiGetLib: 'u' },
      },
    ],
    [
      'tspd',
      {
        type: 'CustomTask',
        class: 'tspd',
        websiteURL: 'https://example.com/',
        userAgent: 'UA',
        metadata: { tspdCookie: 'c', htmlPageBase64: 'h' },
      },
    ],
    [
      'cf_clearance',
      {
        type: 'TurnstileTask',
        cloudflareTaskType: 'cf_clearance',
        websiteURL: 'https://example.com/',
        websiteKey: 'k',
        htmlPageBase64: 'h',
        userAgent: 'UA',
      },
    ],
    [
      'wait_room',
      {
        type: 'TurnstileTask',
        cloudflareTaskType: 'wait_room',
        websiteURL: 'https://example.com/',
        websiteKey: 'k',
        htmlPageBase64: 'h',
        userAgent: 'UA',
      },
    ],
  ];

  test.each(requiredCases)('%s without proxy', (_name, task) => {
    const error = errorOf(validateTask(task));
    expect(error.code).toBe('ERROR_PROXY_MISSING');
    expect(error.description).toMatch(
      /^task\.proxyType, task\.proxyAddress and task\.proxyPort are required for /,
    );
  });

  test.each(requiredCases)('%s with proxy', (_name, task) => {
    expect(validateTask({ ...task, ...PROXY }).ok).toBe(true);
  });

  test('DataDome message names the class', () => {
    const error = errorOf(validateTask(dataDome));
    expect(error.description).toBe(
      'task.proxyType, task.proxyAddress and task.proxyPort are required for CustomTask class DataDome',
    );
  });

  test('proxyless alias cannot carry a required proxy', () => {
    const error = errorOf(
      validateTask({
        type: 'TurnstileTaskProxyless',
        cloudflareTaskType: 'cf_clearance',
        websiteURL: 'https://example.com/',
        websiteKey: 'k',
        htmlPageBase64: 'h',
        userAgent: 'UA',
        ...PROXY,
      }),
    );
    expect(error.code).toBe('ERROR_PROXY_MISSING');
    expect(error.description).toContain('send type TurnstileTask with task.proxyType');
  });
});

describe('types without a caller proxy', () => {
  test.each([
    { type: 'ImageToTextTask', body: 'A'.repeat(200) },
    { type: 'RecaptchaV3TaskProxyless', websiteURL: 'https://example.com/', websiteKey: 'k' },
    { type: 'RecaptchaV3EnterpriseTask', websiteURL: 'https://example.com/', websiteKey: 'k' },
    { type: 'NoCaptchaTaskProxyless', websiteURL: 'https://example.com/', websiteKey: 'k' },
  ])('$type drops even invalid proxy fields', (task) => {
    const result = validateTask({ ...task, proxyType: 'ftp', proxyPort: 'x', proxyPassword: 'p' });
    if (!result.ok) throw result.error;
    expect(result.task).not.toHaveProperty('proxyType');
    expect(result.task).not.toHaveProperty('proxyPort');
    expect(result.task).not.toHaveProperty('proxyPassword');
  });
});
