import { describe, expect, it } from 'vitest';
import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { fromProviderError, toProviderTask } from './provider-task';
import { PROVIDERS, providerForUrl } from './providers';

const RECAPTCHA = {
  type: 'RecaptchaV2Task',
  websiteURL: 'https://example.test/login',
  websiteKey: '6Le-EXAMPLE',
};
const PROXY = {
  proxyType: 'http',
  proxyAddress: '203.0.113.10',
  proxyPort: 3128,
  proxyLogin: 'user',
  proxyPassword: 'p@ss:word',
};

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isCaptaskError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('toProviderTask', () => {
  it('keeps tasks for CapMonster Cloud as they are', () => {
    const task = { ...RECAPTCHA, ...PROXY };
    expect(toProviderTask(PROVIDERS.capmonster, task)).toEqual(task);
  });

  it('sends aliases as their canonical type', () => {
    const task = { ...RECAPTCHA, type: 'NoCaptchaTask' };
    expect(toProviderTask(PROVIDERS.capmonster, task).type).toBe('RecaptchaV2Task');
  });

  it('uses CapSolver names with and without a proxy', () => {
    expect(toProviderTask(PROVIDERS.capsolver, RECAPTCHA).type).toBe('ReCaptchaV2TaskProxyLess');
    expect(toProviderTask(PROVIDERS.capsolver, { ...RECAPTCHA, ...PROXY }).type).toBe(
      'ReCaptchaV2Task',
    );
  });

  it('uses the Proxyless names of Anti-Captcha and 2Captcha', () => {
    expect(toProviderTask(PROVIDERS['anti-captcha'], RECAPTCHA).type).toBe(
      'RecaptchaV2TaskProxyless',
    );
    expect(toProviderTask(PROVIDERS['2captcha'], { ...RECAPTCHA, ...PROXY })).toEqual({
      ...RECAPTCHA,
      ...PROXY,
    });
  });

  it('turns proxy fields into one URL for CapSolver', () => {
    const task = toProviderTask(PROVIDERS.capsolver, { ...RECAPTCHA, ...PROXY });
    expect(task.proxy).toBe('http://user:p%40ss%3Aword@203.0.113.10:3128');
    expect(task).not.toHaveProperty('proxyAddress');
    expect(task).not.toHaveProperty('proxyPassword');
  });

  it('puts IPv6 proxy hosts in brackets', () => {
    const task = toProviderTask(PROVIDERS.capsolver, {
      ...RECAPTCHA,
      proxyType: 'socks5',
      proxyAddress: '2001:db8::10',
      proxyPort: 1080,
    });
    expect(task.proxy).toBe('socks5://[2001:db8::10]:1080');
  });

  it('renames Turnstile fields into CapSolver metadata', () => {
    const task = toProviderTask(PROVIDERS.capsolver, {
      type: 'TurnstileTask',
      websiteURL: 'https://example.test/',
      websiteKey: '0x4AAA',
      pageAction: 'login',
      data: 'cdata-value',
    });
    expect(task).toEqual({
      type: 'AntiTurnstileTaskProxyLess',
      websiteURL: 'https://example.test/',
      websiteKey: '0x4AAA',
      metadata: { action: 'login', cdata: 'cdata-value' },
    });
  });

  it('renames Turnstile fields for Anti-Captcha', () => {
    const task = toProviderTask(PROVIDERS['anti-captcha'], {
      type: 'TurnstileTask',
      websiteURL: 'https://example.test/',
      websiteKey: '0x4AAA',
      pageAction: 'managed',
      data: 'c',
      pageData: 'p',
    });
    expect(task).toMatchObject({ type: 'TurnstileTaskProxyless', action: 'managed', cData: 'c' });
    expect(task.chlPageData).toBe('p');
    expect(task).not.toHaveProperty('pageAction');
  });

  it('adds isEnterprise for reCAPTCHA v3 Enterprise on Anti-Captcha', () => {
    const task = toProviderTask(PROVIDERS['anti-captcha'], {
      type: 'RecaptchaV3EnterpriseTask',
      websiteURL: 'https://example.test/',
      websiteKey: 'key',
      minScore: 0.7,
    });
    expect(task).toMatchObject({
      type: 'RecaptchaV3TaskProxyless',
      isEnterprise: true,
      minScore: 0.7,
    });
  });

  it('leaves the input task unchanged', () => {
    const input = {
      type: 'TurnstileTask',
      websiteURL: 'https://example.test/',
      websiteKey: '0x4AAA',
      pageAction: 'login',
    };
    const copy = structuredClone(input);
    toProviderTask(PROVIDERS.capsolver, input);
    expect(input).toEqual(copy);
  });

  it('rejects a type the provider lacks', () => {
    const yidun = { type: 'YidunTask', websiteURL: 'https://example.test/', websiteKey: 'k' };
    expect(codeOf(() => toProviderTask(PROVIDERS.capsolver, yidun))).toBe(
      'ERROR_TASK_NOT_SUPPORTED',
    );
  });

  it('rejects a proxy where the provider takes none', () => {
    const turnstile = { type: 'TurnstileTask', websiteURL: 'https://e.test/', websiteKey: 'k' };
    expect(codeOf(() => toProviderTask(PROVIDERS.capsolver, { ...turnstile, ...PROXY }))).toBe(
      'ERROR_TASK_NOT_SUPPORTED',
    );
  });
});

describe('fromProviderError', () => {
  it('maps provider codes to catalogue codes', () => {
    const upstream = new CaptaskError('UNKNOWN_ERROR_CODE', {
      serverErrorCode: 'ERROR_CAPTCHA_SOLVE_FAILED',
      description: 'solve failed',
    });
    const mapped = fromProviderError(PROVIDERS.capsolver, upstream) as CaptaskError;
    expect(mapped.code).toBe('ERROR_CAPTCHA_UNSOLVABLE');
    expect(mapped.description).toBe('solve failed (upstream code ERROR_CAPTCHA_SOLVE_FAILED)');
  });

  it('maps the 2Captcha spelling of a missing task', () => {
    const upstream = new CaptaskError('UNKNOWN_ERROR_CODE', {
      serverErrorCode: 'ERROR_NO_SUCH_CAPCH_ID',
    });
    expect((fromProviderError(PROVIDERS['2captcha'], upstream) as CaptaskError).code).toBe(
      'ERROR_NO_SUCH_CAPCHA_ID',
    );
  });

  it('passes other errors through', () => {
    const upstream = new CaptaskError('ERROR_ZERO_BALANCE');
    expect(fromProviderError(PROVIDERS.capsolver, upstream)).toBe(upstream);
    const plain = new Error('x');
    expect(fromProviderError(PROVIDERS.capsolver, plain)).toBe(plain);
  });
});

describe('providerForUrl', () => {
  it.each([
    ['https://api.capmonster.cloud', 'capmonster'],
    ['https://api.anti-captcha.com/', 'anti-captcha'],
    ['https://API.CAPSOLVER.COM', 'capsolver'],
    ['https://api.2captcha.com', '2captcha'],
    ['http://127.0.0.1:8080', 'capmonster'],
  ])('recognizes %s as %s', (url, provider) => {
    expect(providerForUrl(url)).toBe(provider);
  });
});
