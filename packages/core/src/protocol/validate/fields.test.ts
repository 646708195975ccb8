import { describe, expect, test } from 'vitest';
import { IMAGE } from '../../../test/task-examples';
import { type TaskValidation, validateTask } from '../validate';

const site = { websiteURL: 'https://example.com/login', websiteKey: 'site-key' };

function accepted(result: TaskValidation): Record<string, unknown> {
  if (!result.ok) throw result.error;
  return result.task;
}

function rejected(result: TaskValidation): { code: string; description: string; field: unknown } {
  if (result.ok) throw new Error(`accepted ${JSON.stringify(result.task)}`);
  return {
    code: result.error.code,
    description: result.error.description,
    field: result.error.details?.field,
  };
}

describe('field name casing', () => {
  test('official client ImageToText casing', () => {
    const task = accepted(
      validateTask({
        type: 'ImageToTextTask',
        body: IMAGE,
        CapMonsterModule: 'amazon',
        Case: true,
      }),
    );
    expect(task.capMonsterModule).toBe('amazon');
    expect(task.case).toBe(true);
    expect(task).not.toHaveProperty('CapMonsterModule');
    expect(task).not.toHaveProperty('Case');
  });

  test('websiteUrl becomes websiteURL', () => {
    const task = accepted(
      validateTask({
        type: 'RecaptchaV2Task',
        websiteUrl: 'https://example.com/',
        websiteKey: 'k',
      }),
    );
    expect(task.websiteURL).toBe('https://example.com/');
    expect(task).not.toHaveProperty('websiteUrl');
  });

  test('Class and nested metadata keys', () => {
    const result = validateTask({
      type: 'CustomTask',
      Class: 'Castle',
      WebsiteURL: 'https://example.com/',
      websitekey: 'pk_test',
      metadata: {
        wurl: 'https://example.com/cw.js',
        SWURL: 'https://example.com/csw.js',
        Count: 3,
      },
    });
    const task = accepted(result);
    expect(task.class).toBe('Castle');
    expect(task.websiteURL).toBe('https://example.com/');
    expect(task.websiteKey).toBe('pk_test');
    expect(task.metadata).toEqual({
      wUrl: 'https://example.com/cw.js',
      swUrl: 'https://example.com/csw.js',
      count: 3,
    });
  });

  test('exact spelling wins over a variant', () => {
    const task = accepted(
      validateTask({ type: 'ImageToTextTask', body: IMAGE, Case: false, case: true }),
    );
    expect(task.case).toBe(true);
    expect(task).not.toHaveProperty('Case');
  });

  test('unknown fields keep their names', () => {
    const task = accepted(
      validateTask({ type: 'RecaptchaV2Task', ...site, softwareHint: 'x', Extra: { a: 1 } }),
    );
    expect(task.softwareHint).toBe('x');
    expect(task.Extra).toEqual({ a: 1 });
  });

  test('__proto__ key stays a plain field', () => {
    const input = JSON.parse(
      '{"type":"RecaptchaV2Task","websiteURL":"https://example.com/","websiteKey":"k","__proto__":{"polluted":1}}',
    );
    const task = accepted(validateTask(input));
    expect(Object.getPrototypeOf(task)).toBe(Object.prototype);
    expect((task as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.hasOwn(task, '__proto__')).toBe(true);
  });
});

describe('null and empty optional fields', () => {
  test('null and "" optional fields are dropped', () => {
    const task = accepted(
      validateTask({
        type: 'RecaptchaV2Task',
        ...site,
        userAgent: null,
        cookies: '',
        isInvisible: null,
        nocache: null,
      }),
    );
    expect(task).not.toHaveProperty('userAgent');
    expect(task).not.toHaveProperty('cookies');
    expect(task).not.toHaveProperty('isInvisible');
    expect(task).not.toHaveProperty('nocache');
  });

  test('null required field is missing', () => {
    const error = rejected(validateTask({ type: 'RecaptchaV2Task', ...site, websiteKey: null }));
    expect(error.code).toBe('ERROR_RECAPTCHA_INVALID_SITEKEY');
    expect(error.description).toBe('task.websiteKey is required for RecaptchaV2Task');
  });

  test('"" required field is missing', () => {
    const error = rejected(validateTask({ type: 'BinanceTask', ...site, validateId: '' }));
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toBe('task.validateId is required for BinanceTask');
  });

  test('altcha websiteKey may be ""', () => {
    const task = accepted(
      validateTask({
        type: 'CustomTask',
        class: 'altcha',
        websiteURL: 'https://example.com/',
        websiteKey: '',
        metadata: { challenge: 'c', iterations: '10', salt: 's', signature: 'g' },
      }),
    );
    expect(task.websiteKey).toBe('');
  });

  test('altcha websiteKey null is dropped', () => {
    const task = accepted(
      validateTask({
        type: 'CustomTask',
        class: 'altcha',
        websiteURL: 'https://example.com/',
        websiteKey: null,
        metadata: { challenge: 'c', iterations: '10', salt: 's', signature: 'g' },
      }),
    );
    expect(task).not.toHaveProperty('websiteKey');
  });

  test('null optional metadata field is dropped', () => {
    const task = accepted(
      validateTask({
        type: 'CustomTask',
        class: 'HUNT',
        websiteURL: 'https://example.com/',
        metadata: { apiGetLib: 'https://example.com/api.js', data: null },
        proxyType: 'http',
        proxyAddress: '203.0.113.1',
        proxyPort: 8080,
      }),
    );
    expect(task.metadata).toEqual({ apiGetLib: 'https://example.com/api.js' });
  });
});

describe('JSON types', () => {
  test.each([
    [
      'string',
      { type: 'RecaptchaV2Task', ...site, cookies: 5 },
      'task.cookies must be a string, got an integer',
    ],
    [
      'boolean',
      { type: 'RecaptchaV2Task', ...site, isInvisible: 'true' },
      'task.isInvisible must be true or false, got a string',
    ],
    [
      'integer',
      { type: 'ImageToTextTask', body: IMAGE, recognizingThreshold: 50.5 },
      'task.recognizingThreshold must be an integer, got a number',
    ],
    [
      'number',
      { type: 'RecaptchaV3TaskProxyless', ...site, minScore: '0.5' },
      'task.minScore must be a number, got a string',
    ],
    [
      'object',
      { type: 'RecaptchaV2EnterpriseTask', ...site, enterprisePayload: 's' },
      'task.enterprisePayload must be a JSON object, got a string',
    ],
    [
      'nocache',
      { type: 'YidunTask', ...site, nocache: 1 },
      'task.nocache must be true or false, got an integer',
    ],
    [
      'isEnterprise',
      { type: 'RecaptchaV3TaskProxyless', ...site, isEnterprise: 2 },
      'task.isEnterprise must be true, false, 1 or 0, got an integer',
    ],
  ])('%s', (_name, input, description) => {
    const error = rejected(validateTask(input));
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toBe(description);
  });

  test('array of strings', () => {
    const error = rejected(
      validateTask({
        type: 'ComplexImageTask',
        class: 'recaptcha',
        imageUrls: ['https://example.com/a.png', 3],
        metadata: { Grid: '3x3', Task: 't' },
      }),
    );
    expect(error.description).toBe('task.imageUrls must be an array of strings, got an array');
  });

  test('wrong userAgent type', () => {
    const error = rejected(validateTask({ type: 'RecaptchaV2Task', ...site, userAgent: 12 }));
    expect(error.code).toBe('ERROR_WRONG_USERAGENT');
  });

  test('metadata must be an object', () => {
    const error = rejected(
      validateTask({
        type: 'CustomTask',
        class: 'Temu',
        websiteURL: 'https://example.com/',
        metadata: 'a=b',
      }),
    );
    expect(error.description).toBe('task.metadata must be a JSON object');
  });

  test.each([true, false, 1, 0])('isEnterprise %j accepted', (isEnterprise) => {
    const task = accepted(
      validateTask({ type: 'RecaptchaV3TaskProxyless', ...site, isEnterprise }),
    );
    expect(task.isEnterprise).toBe(isEnterprise);
  });

  test('hct takes a millisecond timestamp', () => {
    const task = accepted(validateTask({ type: 'YidunTask', ...site, hct: 1_700_000_000_000 }));
    expect(task.hct).toBe(1_700_000_000_000);
  });
});

describe('numeric bounds', () => {
  const castle = (count: unknown) => ({
    type: 'CustomTask',
    class: 'Castle',
    websiteURL: 'https://example.com/',
    websiteKey: 'pk',
    metadata: { wUrl: 'w', swUrl: 's', count },
  });

  test.each([
    [{ type: 'ImageToTextTask', body: IMAGE, recognizingThreshold: 0 }, true],
    [{ type: 'ImageToTextTask', body: IMAGE, recognizingThreshold: 100 }, true],
    [{ type: 'ImageToTextTask', body: IMAGE, recognizingThreshold: -1 }, false],
    [{ type: 'ImageToTextTask', body: IMAGE, recognizingThreshold: 101 }, false],
    [{ type: 'ImageToTextTask', body: IMAGE, numeric: 1 }, true],
    [{ type: 'ImageToTextTask', body: IMAGE, numeric: 2 }, false],
    [{ type: 'RecaptchaV3TaskProxyless', ...site, minScore: 0.1 }, true],
    [{ type: 'RecaptchaV3TaskProxyless', ...site, minScore: 0.9 }, true],
    [{ type: 'RecaptchaV3TaskProxyless', ...site, minScore: 0.09 }, false],
    [{ type: 'RecaptchaV3TaskProxyless', ...site, minScore: 0.95 }, false],
    [{ type: 'RecaptchaV3EnterpriseTask', ...site, minScore: 1 }, false],
    [castle(1), true],
    [castle(49), true],
    [castle(0), false],
    [castle(50), false],
  ])('%j accepted: %s', (input, ok) => {
    expect(validateTask(input).ok).toBe(ok);
  });

  test('bound message names the range', () => {
    const error = rejected(
      validateTask({ type: 'RecaptchaV3TaskProxyless', ...site, minScore: 1.5 }),
    );
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toBe('task.minScore must be a number from 0.1 to 0.9, got 1.5');
  });

  test('Castle count message', () => {
    const error = rejected(validateTask(castle(50)));
    expect(error.description).toBe('task.metadata.count must be an integer from 1 to 49, got 50');
  });
});

describe('websiteURL', () => {
  test.each(['example.com', '/login', 'ftp://example.com/', 'javascript:alert(1)', 'https://'])(
    '%s is rejected',
    (websiteURL) => {
      const error = rejected(validateTask({ type: 'RecaptchaV2Task', ...site, websiteURL }));
      expect(error.code).toBe('ERROR_RECAPTCHA_INVALID_DOMAIN');
      expect(error.description).toMatch(/^task\.websiteURL must be an absolute http\(s\) URL/);
    },
  );

  test.each(['http://example.com', 'https://sub.example.com:8443/a?b=c', 'https://[2001:db8::1]/'])(
    '%s is accepted',
    (websiteURL) => {
      expect(validateTask({ type: 'RecaptchaV2Task', ...site, websiteURL }).ok).toBe(true);
    },
  );

  test('optional websiteURL is checked too', () => {
    const error = rejected(
      validateTask({
        type: 'ComplexImageTask',
        class: 'recaptcha',
        imageUrls: ['https://example.com/a.png'],
        metadata: { Grid: '3x3', Task: 't' },
        websiteURL: 'not a url',
      }),
    );
    expect(error.code).toBe('ERROR_RECAPTCHA_INVALID_DOMAIN');
  });
});

describe('requiredOneOf', () => {
  const grid = {
    type: 'ComplexImageTask',
    class: 'recaptcha',
    imageUrls: ['https://example.com/a.png'],
  };

  test('metadata.Task or TaskDefinition', () => {
    const error = rejected(validateTask({ ...grid, metadata: { Grid: '3x3' } }));
    expect(error.code).toBe('ERROR_TASK_NOT_SUPPORTED');
    expect(error.description).toBe(
      'task.metadata.Task or task.metadata.TaskDefinition is required for ComplexImageTask class recaptcha',
    );
  });

  test('TaskDefinition alone suffices', () => {
    expect(
      validateTask({ ...grid, metadata: { Grid: '3x3', TaskDefinition: '/m/015qff' } }).ok,
    ).toBe(true);
  });

  const proxy = { proxyType: 'http', proxyAddress: '203.0.113.1', proxyPort: 8080 };
  const dataDome = (metadata: Record<string, string>) => ({
    type: 'CustomTask',
    class: 'DataDome',
    websiteURL: 'https://example.com/',
    metadata: { datadomeCookie: 'datadome=a', ...metadata },
    ...proxy,
  });
  const imperva = (metadata: Record<string, string>) => ({
    type: 'CustomTask',
    class: 'Imperva',
    websiteURL: 'https://example.com/',
    metadata,
    ...proxy,
  });

  test('DataDome captchaUrl or htmlPageBase64', () => {
    expect(validateTask(dataDome({ captchaUrl: 'u' })).ok).toBe(true);
    expect(validateTask(dataDome({ htmlPageBase64: 'aA==' })).ok).toBe(true);

    const error = rejected(validateTask(dataDome({})));
    expect(error.description).toBe(
      'task.metadata.captchaUrl or task.metadata.htmlPageBase64 is required for CustomTask class DataDome',
    );
  });

  test('Imperva docs and client names', () => {
    const docs = { incapsulaScriptUrl: 'u', incapsulaCookies: 'c' };
    const client = { incapsulaScriptBase64: 's', incapsulaSessionCookie: 'c' };
    expect(validateTask(imperva(docs)).ok).toBe(true);
    expect(validateTask(imperva(client)).ok).toBe(true);

    const error = rejected(validateTask(imperva({ incapsulaScriptUrl: 'u' })));
    expect(error.description).toBe(
      'task.metadata.incapsulaCookies or task.metadata.incapsulaSessionCookie is required for CustomTask class Imperva',
    );
  });

  test('no image is a file-size error', () => {
    const error = rejected(
      validateTask({
        type: 'ComplexImageTask',
        class: 'recaptcha',
        imageUrls: [],
        metadata: { Grid: '3x3', Task: 't' },
      }),
    );
    expect(error.code).toBe('ERROR_ZERO_CAPTCHA_FILESIZE');
    expect(error.description).toBe(
      'task.imageUrls or task.imagesBase64 is required for ComplexImageTask class recaptcha',
    );
  });
});
