import type { ErrorCode } from '../protocol/error-codes';
import type { CanonicalTaskType } from '../protocol/task-types';

/** Services that speak the createTask / getTaskResult protocol and that a relay can forward to. */
export type ProviderName = 'capmonster' | 'anti-captcha' | 'capsolver' | '2captcha';

/** The provider's type strings for one of our canonical types. */
export interface ProviderType {
  /** Type string for a task without proxy fields. */
  proxyless: string;
  /** Type string for a task with proxy fields; absent when the provider takes no proxy for it. */
  proxy?: string;
  /** Fields the provider needs on top of the task's own, such as `isEnterprise: true`. */
  extraFields?: Readonly<Record<string, unknown>>;
  /** Our field name to the provider's; a dotted target such as `metadata.action` nests it. */
  renames?: Readonly<Record<string, string>>;
}

/** One provider's differences from the protocol as CapMonster Cloud defines it. */
export interface ProviderProfile {
  name: ProviderName;
  /** Service root used when the relay is given a provider but no base URL. */
  baseUrl: string;
  /** Host names by which a base URL identifies this provider. */
  hosts: readonly string[];
  /** Supported canonical types; a type not listed is rejected with ERROR_TASK_NOT_SUPPORTED. */
  types: Readonly<Partial<Record<CanonicalTaskType, ProviderType>>>;
  /** `fields` sends the five proxy fields flat; `url` sends one `proxy` string, as CapSolver does. */
  proxyStyle: 'fields' | 'url';
  /** Provider error codes that name a condition of our catalogue differently. */
  errorCodes: Readonly<Record<string, ErrorCode>>;
}

/**
 * CapMonster Cloud's types: one name with or without a proxy. Whether a type takes a proxy
 * at all was checked when the task was validated.
 */
const CAPMONSTER_TYPES: readonly CanonicalTaskType[] = [
  'ImageToTextTask',
  'RecaptchaV2Task',
  'RecaptchaV2EnterpriseTask',
  'RecaptchaV3TaskProxyless',
  'RecaptchaV3EnterpriseTask',
  'HCaptchaTask',
  'FunCaptchaTask',
  'GeeTestTask',
  'TurnstileTask',
  'AmazonTask',
  'BinanceTask',
  'ProsopoTask',
  'YidunTask',
  'MTCaptchaTask',
  'ComplexImageTask',
  'CustomTask',
];

/** Builds `XProxyless` without proxy and `X` with one, as Anti-Captcha and 2Captcha name types. */
function proxylessPair(name: string, extra: Partial<ProviderType> = {}): ProviderType {
  return { proxyless: `${name}Proxyless`, proxy: name, ...extra };
}

/** Builds the CapSolver pair, which writes `ProxyLess` with a capital L. */
function proxyLessPair(name: string, extra: Partial<ProviderType> = {}): ProviderType {
  return { proxyless: `${name}ProxyLess`, proxy: name, ...extra };
}

/**
 * Provider profiles for the relay: type names, proxy format and error code names.
 *
 * NOTE: the Anti-Captcha, CapSolver and 2Captcha entries follow those providers' public API
 * documentation and were never run against the live services; tests only exercise them
 * against captask's own server. Solutions are passed on as the provider sends them.
 */
export const PROVIDERS: Readonly<Record<ProviderName, ProviderProfile>> = {
  capmonster: {
    name: 'capmonster',
    baseUrl: 'https://api.capmonster.cloud',
    hosts: ['api.capmonster.cloud'],
    types: Object.fromEntries(
      CAPMONSTER_TYPES.map((type) => [type, { proxyless: type, proxy: type }]),
    ),
    proxyStyle: 'fields',
    errorCodes: {},
  },
  'anti-captcha': {
    name: 'anti-captcha',
    baseUrl: 'https://api.anti-captcha.com',
    hosts: ['api.anti-captcha.com'],
    types: {
      ImageToTextTask: { proxyless: 'ImageToTextTask' },
      RecaptchaV2Task: proxylessPair('RecaptchaV2Task'),
      RecaptchaV2EnterpriseTask: proxylessPair('RecaptchaV2EnterpriseTask'),
      RecaptchaV3TaskProxyless: { proxyless: 'RecaptchaV3TaskProxyless' },
      RecaptchaV3EnterpriseTask: {
        proxyless: 'RecaptchaV3TaskProxyless',
        extraFields: { isEnterprise: true },
      },
      HCaptchaTask: proxylessPair('HCaptchaTask'),
      FunCaptchaTask: proxylessPair('FunCaptchaTask'),
      GeeTestTask: proxylessPair('GeeTestTask'),
      TurnstileTask: proxylessPair('TurnstileTask', {
        renames: { pageAction: 'action', data: 'cData', pageData: 'chlPageData' },
      }),
    },
    proxyStyle: 'fields',
    errorCodes: { ERROR_ACCOUNT_SUSPENDED: 'ERROR_KEY_DOES_NOT_EXIST' },
  },
  capsolver: {
    name: 'capsolver',
    baseUrl: 'https://api.capsolver.com',
    hosts: ['api.capsolver.com'],
    types: {
      ImageToTextTask: { proxyless: 'ImageToTextTask' },
      RecaptchaV2Task: proxyLessPair('ReCaptchaV2Task'),
      RecaptchaV2EnterpriseTask: proxyLessPair('ReCaptchaV2EnterpriseTask'),
      RecaptchaV3TaskProxyless: { proxyless: 'ReCaptchaV3TaskProxyLess' },
      RecaptchaV3EnterpriseTask: { proxyless: 'ReCaptchaV3EnterpriseTaskProxyLess' },
      GeeTestTask: proxyLessPair('GeeTestTask'),
      TurnstileTask: {
        proxyless: 'AntiTurnstileTaskProxyLess',
        renames: { pageAction: 'metadata.action', data: 'metadata.cdata' },
      },
      MTCaptchaTask: proxyLessPair('MtCaptchaTask'),
    },
    proxyStyle: 'url',
    errorCodes: {
      ERROR_KEY_DENIED_ACCESS: 'ERROR_KEY_DOES_NOT_EXIST',
      ERROR_INVALID_TASK_DATA: 'ERROR_TASK_NOT_SUPPORTED',
      ERROR_CAPTCHA_SOLVE_FAILED: 'ERROR_CAPTCHA_UNSOLVABLE',
      ERROR_TASK_TIMEOUT: 'ERROR_CAPTCHA_UNSOLVABLE',
      ERROR_TASKID_INVALID: 'ERROR_NO_SUCH_CAPCHA_ID',
      ERROR_SERVICE_UNAVALIABLE: 'ERROR_NO_SLOT_AVAILABLE',
      ERROR_TOO_MANY_REQUESTS: 'ERROR_NO_SLOT_AVAILABLE',
    },
  },
  '2captcha': {
    name: '2captcha',
    baseUrl: 'https://api.2captcha.com',
    hosts: ['api.2captcha.com'],
    types: {
      ImageToTextTask: { proxyless: 'ImageToTextTask' },
      RecaptchaV2Task: proxylessPair('RecaptchaV2Task'),
      RecaptchaV2EnterpriseTask: proxylessPair('RecaptchaV2EnterpriseTask'),
      RecaptchaV3TaskProxyless: { proxyless: 'RecaptchaV3TaskProxyless' },
      RecaptchaV3EnterpriseTask: {
        proxyless: 'RecaptchaV3TaskProxyless',
        extraFields: { isEnterprise: true },
      },
      HCaptchaTask: proxylessPair('HCaptchaTask'),
      FunCaptchaTask: proxylessPair('FunCaptchaTask'),
      GeeTestTask: proxylessPair('GeeTestTask'),
      TurnstileTask: proxylessPair('TurnstileTask', {
        renames: { pageAction: 'action', pageData: 'pagedata' },
      }),
      AmazonTask: proxylessPair('AmazonTask'),
      MTCaptchaTask: proxylessPair('MtCaptchaTask'),
      ProsopoTask: proxylessPair('ProsopoTask'),
    },
    proxyStyle: 'fields',
    errorCodes: {
      ERROR_NO_SUCH_CAPCH_ID: 'ERROR_NO_SUCH_CAPCHA_ID',
      ERROR_WRONG_CAPTCHA_ID: 'ERROR_NO_SUCH_CAPCHA_ID',
      ERROR_BAD_PARAMETERS: 'ERROR_TASK_NOT_SUPPORTED',
      ERROR_ACCOUNT_SUSPENDED: 'ERROR_KEY_DOES_NOT_EXIST',
    },
  },
};

/**
 * Returns the provider a base URL belongs to by its host, or CapMonster Cloud for any other
 * host, since captask itself and other compatible servers follow CapMonster Cloud's protocol.
 *
 * @example
 * providerForUrl('https://api.capsolver.com'); // 'capsolver'
 * providerForUrl('http://127.0.0.1:8080'); // 'capmonster'
 */
export function providerForUrl(baseUrl: string): ProviderName {
  const host = new URL(baseUrl).hostname.toLowerCase();
  for (const profile of Object.values(PROVIDERS)) {
    if (profile.hosts.includes(host)) return profile.name;
  }
  return 'capmonster';
}
