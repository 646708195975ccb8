import type { OptionalProxy, SolutionBase, TaskBase, WithoutProxy } from './common';

/** Inputs of a reCAPTCHA v2 task; `RecaptchaV2Task` and its aliases share them. */
export type RecaptchaV2Fields = TaskBase & {
  /** Absolute http(s) URL of the page with the captcha. */
  websiteURL: string;
  /** The `data-sitekey` of the widget. */
  websiteKey: string;
  /** One-time `data-s` value, when the site sets one. */
  recaptchaDataSValue?: string;
  userAgent?: string;
  /** Cookies as `name1=value1; name2=value2`. */
  cookies?: string;
  isInvisible?: boolean;
};

export type RecaptchaV2Task = { type: 'RecaptchaV2Task' } & RecaptchaV2Fields & OptionalProxy;
/** Type string the official JS client sends for reCAPTCHA v2, with or without a proxy. */
export type NoCaptchaTask = { type: 'NoCaptchaTask' } & RecaptchaV2Fields & OptionalProxy;
export type NoCaptchaTaskProxyless = { type: 'NoCaptchaTaskProxyless' } & RecaptchaV2Fields &
  WithoutProxy;
export type RecaptchaV2TaskProxyless = { type: 'RecaptchaV2TaskProxyless' } & RecaptchaV2Fields &
  WithoutProxy;

/** Inputs of a reCAPTCHA v2 Enterprise task. */
export type RecaptchaV2EnterpriseFields = TaskBase & {
  websiteURL: string;
  websiteKey: string;
  /** Extra render parameters, such as `{ s: '...' }`. */
  enterprisePayload?: Record<string, unknown>;
  /** Defaults to `verify`. */
  pageAction?: string;
  /** `www.google.com` or `www.recaptcha.net`, only when the site needs it. */
  apiDomain?: string;
  userAgent?: string;
  cookies?: string;
  recaptchaDataSValue?: string;
};

export type RecaptchaV2EnterpriseTask = {
  type: 'RecaptchaV2EnterpriseTask';
} & RecaptchaV2EnterpriseFields &
  OptionalProxy;
export type RecaptchaV2EnterpriseTaskProxyless = {
  type: 'RecaptchaV2EnterpriseTaskProxyless';
} & RecaptchaV2EnterpriseFields &
  WithoutProxy;

/** reCAPTCHA v3; the service offers it only with its own proxies. */
export type RecaptchaV3TaskProxyless = TaskBase & {
  type: 'RecaptchaV3TaskProxyless';
  websiteURL: string;
  websiteKey: string;
  /** `true` or `1` solves it as reCAPTCHA v3 Enterprise. */
  isEnterprise?: boolean | 0 | 1;
  /** From 0.1 to 0.9. */
  minScore?: number;
  /** Defaults to `verify`. */
  pageAction?: string;
};

/** reCAPTCHA v3 Enterprise; the service offers it only with its own proxies. */
export type RecaptchaV3EnterpriseTask = TaskBase & {
  type: 'RecaptchaV3EnterpriseTask';
  websiteURL: string;
  /** The key from `enterprise.js?render=`. */
  websiteKey: string;
  /** From 0.1 to 0.9. */
  minScore?: number;
  pageAction?: string;
};

/** Token of every reCAPTCHA type; valid for about 60 seconds after solving. */
export interface RecaptchaSolution extends SolutionBase {
  gRecaptchaResponse: string;
  /** Returned on some sites; keep using it on the target site. */
  userAgent?: string;
  /** Returned on some sites, such as `{ nocookies: 'true' }`. */
  cookies?: Record<string, unknown>;
}

export interface RecaptchaTaskMap {
  RecaptchaV2Task: RecaptchaV2Task;
  NoCaptchaTask: NoCaptchaTask;
  NoCaptchaTaskProxyless: NoCaptchaTaskProxyless;
  RecaptchaV2TaskProxyless: RecaptchaV2TaskProxyless;
  RecaptchaV2EnterpriseTask: RecaptchaV2EnterpriseTask;
  RecaptchaV2EnterpriseTaskProxyless: RecaptchaV2EnterpriseTaskProxyless;
  RecaptchaV3TaskProxyless: RecaptchaV3TaskProxyless;
  RecaptchaV3EnterpriseTask: RecaptchaV3EnterpriseTask;
}

export type RecaptchaSolutionMap = { [T in keyof RecaptchaTaskMap]: RecaptchaSolution };
