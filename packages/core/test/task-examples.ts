/**
 * One minimal valid task per type string and variant, written by hand from the protocol
 * reference, so that validation tests do not derive their inputs from the spec table.
 */

/** Base64 text that decodes to exactly `bytes` bytes. */
export function base64OfBytes(bytes: number): string {
  return Buffer.alloc(bytes, 7).toString('base64');
}

export const IMAGE = base64OfBytes(200);
export const WEBSITE_URL = 'https://example.com/login';
export const PROXY = {
  proxyType: 'http',
  proxyAddress: '203.0.113.10',
  proxyPort: 3128,
  proxyLogin: 'user',
  proxyPassword: 'secret-pass',
} as const;

export interface TaskExample {
  /** Variant the validator is expected to pick, when the type has variants. */
  variant?: string;
  task: Record<string, unknown> & { type: string };
}

const site = { websiteURL: WEBSITE_URL, websiteKey: 'site-key' };
const turnstileToken = {
  ...site,
  cloudflareTaskType: 'token',
  pageAction: 'managed',
  userAgent: 'Mozilla/5.0',
  data: 'c-data',
  pageData: 'chl-page-data',
};
const turnstileCookie = { ...site, htmlPageBase64: 'PGh0bWw+', userAgent: 'Mozilla/5.0' };
const amazonJsApi = { ...site, captchaScript: 'https://example.com/jsapi.js' };
const amazonChallenge = {
  ...site,
  challengeScript: 'https://example.com/challenge.js',
  context: 'c',
  iv: 'i',
};
const amazonInvisible = {
  websiteURL: WEBSITE_URL,
  websiteKey: '',
  challengeScript: 'https://example.com/challenge.js',
  captchaScript: '',
  context: '',
  iv: '',
};
const custom = { type: 'CustomTask', websiteURL: WEBSITE_URL };

export const TASK_EXAMPLES: readonly TaskExample[] = [
  { task: { type: 'ImageToTextTask', body: IMAGE } },
  { task: { type: 'RecaptchaV2Task', ...site } },
  { task: { type: 'NoCaptchaTask', ...site } },
  { task: { type: 'NoCaptchaTaskProxyless', ...site } },
  { task: { type: 'RecaptchaV2TaskProxyless', ...site } },
  { task: { type: 'RecaptchaV2EnterpriseTask', ...site } },
  { task: { type: 'RecaptchaV2EnterpriseTaskProxyless', ...site } },
  { task: { type: 'RecaptchaV3TaskProxyless', ...site } },
  { task: { type: 'RecaptchaV3EnterpriseTask', ...site } },
  { task: { type: 'HCaptchaTask', ...site } },
  { task: { type: 'HCaptchaTaskProxyless', ...site } },
  { task: { type: 'FunCaptchaTask', websiteURL: WEBSITE_URL, websitePublicKey: 'public-key' } },
  {
    task: {
      type: 'FunCaptchaTaskProxyless',
      websiteURL: WEBSITE_URL,
      websitePublicKey: 'public-key',
    },
  },
  {
    variant: '3',
    task: { type: 'GeeTestTask', websiteURL: WEBSITE_URL, gt: 'gt', challenge: 'ch' },
  },
  { variant: '4', task: { type: 'GeeTestTask', websiteURL: WEBSITE_URL, gt: 'gt', version: 4 } },
  {
    variant: '3',
    task: { type: 'GeeTestTaskProxyless', websiteURL: WEBSITE_URL, gt: 'gt', challenge: 'ch' },
  },
  {
    variant: '4',
    task: { type: 'GeeTestTaskProxyless', websiteURL: WEBSITE_URL, gt: 'gt', version: 4 },
  },
  { variant: '_default', task: { type: 'TurnstileTask', ...site } },
  { variant: 'token', task: { type: 'TurnstileTask', ...turnstileToken } },
  {
    variant: 'cf_clearance',
    task: {
      type: 'TurnstileTask',
      cloudflareTaskType: 'cf_clearance',
      ...turnstileCookie,
      ...PROXY,
    },
  },
  {
    variant: 'wait_room',
    task: { type: 'TurnstileTask', cloudflareTaskType: 'wait_room', ...turnstileCookie, ...PROXY },
  },
  { variant: '_default', task: { type: 'TurnstileTaskProxyless', ...site } },
  { variant: 'token', task: { type: 'TurnstileTaskProxyless', ...turnstileToken } },
  { variant: 'option1_jsapi', task: { type: 'AmazonTask', ...amazonJsApi } },
  { variant: 'option2_challenge_and_captcha', task: { type: 'AmazonTask', ...amazonChallenge } },
  { variant: 'option3_challenge_only', task: { type: 'AmazonTask', ...amazonInvisible } },
  { variant: 'option1_jsapi', task: { type: 'AmazonTaskProxyless', ...amazonJsApi } },
  { task: { type: 'BinanceTask', ...site, validateId: 'validate-id' } },
  { task: { type: 'BinanceTaskProxyless', ...site, validateId: 'validate-id' } },
  { task: { type: 'ProsopoTask', ...site } },
  { task: { type: 'ProsopoTaskProxyless', ...site } },
  { task: { type: 'YidunTask', ...site } },
  { task: { type: 'MTCaptchaTask', ...site } },
  {
    variant: 'recaptcha',
    task: {
      type: 'ComplexImageTask',
      class: 'recaptcha',
      imageUrls: ['https://example.com/grid.png'],
      metadata: { Grid: '3x3', Task: 'Click on traffic lights' },
    },
  },
  {
    variant: 'recognition',
    task: {
      type: 'ComplexImageTask',
      class: 'recognition',
      imagesBase64: [IMAGE, IMAGE],
      metadata: { Task: 'oocl_rotate_new' },
    },
  },
  {
    variant: 'hcaptcha',
    task: {
      type: 'ComplexImageTask',
      class: 'hcaptcha',
      imagesBase64: [IMAGE],
      metadata: { Task: 'Please click each image containing a bicycle' },
    },
  },
  {
    variant: 'funcaptcha',
    task: {
      type: 'ComplexImageTask',
      class: 'funcaptcha',
      imageUrls: ['https://example.com/tiles.png'],
      metadata: { Task: 'Pick the image that is the correct way up' },
    },
  },
  {
    variant: 'DataDome',
    task: {
      ...custom,
      class: 'DataDome',
      metadata: {
        captchaUrl: 'https://geo.captcha-delivery.com/captcha/?x=1',
        datadomeCookie: 'datadome=abc',
      },
      ...PROXY,
    },
  },
  {
    variant: 'Imperva',
    task: {
      ...custom,
      class: 'Imperva',
      metadata: {
        incapsulaScriptUrl: '_Incapsula_Resource?x=1',
        incapsulaCookies: 'incap_ses_1=a',
      },
      ...PROXY,
    },
  },
  { variant: 'Basilisk', task: { ...custom, class: 'Basilisk', websiteKey: 'site-key' } },
  { variant: 'TenDI', task: { ...custom, class: 'TenDI', websiteKey: 'app-id' } },
  { variant: 'Temu', task: { ...custom, class: 'Temu', metadata: { cookie: 'a=b' } } },
  {
    variant: 'altcha',
    task: {
      ...custom,
      class: 'altcha',
      websiteKey: '',
      metadata: { challenge: 'c', iterations: '5000', salt: 's?e=1', signature: 'sig' },
    },
  },
  {
    variant: 'alibaba',
    task: { ...custom, class: 'alibaba', metadata: { sceneId: 's', prefix: 'p' } },
  },
  {
    variant: 'Castle',
    task: {
      ...custom,
      class: 'Castle',
      websiteKey: 'pk_test',
      metadata: { wUrl: 'https://example.com/cw.js', swUrl: 'https://example.com/csw.js' },
    },
  },
  {
    variant: 'HUNT',
    task: {
      ...custom,
      class: 'HUNT',
      metadata: { apiGetLib: 'https://example.com/api.js' },
      ...PROXY,
    },
  },
  {
    variant: 'tspd',
    task: {
      ...custom,
      class: 'tspd',
      userAgent: 'Mozilla/5.0',
      metadata: { tspdCookie: 'TS01=a', htmlPageBase64: 'PGh0bWw+' },
      ...PROXY,
    },
  },
];
