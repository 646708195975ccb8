import type { OptionalProxy, ProxyFields, SolutionBase, TaskBase, WithoutProxy } from './common';

type GeeTestCommonFields = TaskBase & {
  websiteURL: string;
  /** The `gt` value for v3, the `captcha_id` for v4. */
  gt: string;
  geetestApiServerSubdomain?: string;
  /** The library settings as JSON text. */
  geetestGetLib?: string;
  userAgent?: string;
};

/** GeeTest v3. `version` may be absent; the official JS client sends it as a string. */
export type GeeTestV3Fields = GeeTestCommonFields & {
  version?: 3 | '3';
  /** Single-use; a stale value fails with ERROR_TOKEN_EXPIRED. */
  challenge: string;
};

/** GeeTest v4. The official JS client sends `version` as a string. */
export type GeeTestV4Fields = GeeTestCommonFields & {
  version: 4 | '4';
  /** Extra init parameters, such as `{ riskType: 'slide' }`. */
  initParameters?: Record<string, unknown>;
};

export type GeeTestFields = GeeTestV3Fields | GeeTestV4Fields;
export type GeeTestTask = { type: 'GeeTestTask' } & GeeTestFields & OptionalProxy;
export type GeeTestTaskProxyless = { type: 'GeeTestTaskProxyless' } & GeeTestFields & WithoutProxy;

export interface GeeTestV3Solution extends SolutionBase {
  challenge: string;
  validate: string;
  seccode: string;
}

export interface GeeTestV4Solution extends SolutionBase {
  captcha_id: string;
  lot_number: string;
  pass_token: string;
  gen_time: string;
  captcha_output: string;
}

export type GeeTestSolution = GeeTestV3Solution | GeeTestV4Solution;

type TurnstileCommonFields = TaskBase & {
  websiteURL: string;
  /** The widget's site key; any string in the cookie modes. */
  websiteKey: string;
};

/** A plain Turnstile widget (no `cloudflareTaskType`). */
export type TurnstileWidgetFields = TurnstileCommonFields & {
  cloudflareTaskType?: undefined;
  pageAction?: string;
  /** The widget's `cData`. */
  data?: string;
};

/** A Cloudflare Challenge page solved to a token. */
export type TurnstileChallengeTokenFields = TurnstileCommonFields & {
  cloudflareTaskType: 'token';
  /** Usually `managed` or `non-interactive`. */
  pageAction: string;
  userAgent: string;
  /** The challenge's `cData`. */
  data: string;
  /** The challenge's `chlPageData`. */
  pageData: string;
  apiJsUrl?: string;
};

/**
 * A Cloudflare Challenge page (`cf_clearance`) or Waiting Room (`wait_room`) solved to a
 * cookie. Both need the caller's proxy.
 */
export type TurnstileClearanceFields = TurnstileCommonFields & {
  cloudflareTaskType: 'cf_clearance' | 'wait_room';
  /** Base64 of the page the site returned: the 403 challenge page or the waiting room. */
  htmlPageBase64: string;
  userAgent: string;
};

export type TurnstileTask = { type: 'TurnstileTask' } & (
  | ((TurnstileWidgetFields | TurnstileChallengeTokenFields) & OptionalProxy)
  | (TurnstileClearanceFields & ProxyFields)
);
export type TurnstileTaskProxyless = { type: 'TurnstileTaskProxyless' } & (
  | TurnstileWidgetFields
  | TurnstileChallengeTokenFields
) &
  WithoutProxy;

export interface TurnstileTokenSolution extends SolutionBase {
  token: string;
  userAgent?: string;
}

export interface TurnstileClearanceSolution extends SolutionBase {
  cf_clearance: string;
}

export type TurnstileSolution = TurnstileTokenSolution | TurnstileClearanceSolution;

type AmazonCommonFields = TaskBase & {
  websiteURL: string;
  /** The `apiKey` of the render call, or `window.gokuProps.key`. */
  websiteKey: string;
  /** `true` returns the `aws-waf-token` cookie; default `false` returns a voucher. */
  cookieSolution?: boolean;
  userAgent?: string;
};

/** Amazon AWS WAF with the jsapi integration. */
export type AmazonJsApiFields = AmazonCommonFields & {
  /** URL of `jsapi.js`. */
  captchaScript: string;
  challengeScript?: string;
  context?: string;
  iv?: string;
};

/**
 * Amazon AWS WAF with the challenge script, with or without the captcha. For the invisible
 * challenge, `captchaScript`, `websiteKey`, `context` and `iv` are present but may be any
 * string, including `""`.
 */
export type AmazonChallengeFields = AmazonCommonFields & {
  challengeScript: string;
  /** `window.gokuProps.context`. */
  context: string;
  /** `window.gokuProps.iv`. */
  iv: string;
  /** URL of `captcha.js`, when the page loads it. */
  captchaScript?: string;
};

export type AmazonFields = AmazonJsApiFields | AmazonChallengeFields;
export type AmazonTask = { type: 'AmazonTask' } & AmazonFields & OptionalProxy;
export type AmazonTaskProxyless = { type: 'AmazonTaskProxyless' } & AmazonFields & WithoutProxy;

/** Solution when the task sets `cookieSolution: true`. */
export interface AmazonCookieSolution extends SolutionBase {
  cookies: { 'aws-waf-token': string } & Record<string, string>;
  userAgent: string;
}

/** Solution when `cookieSolution` is false or absent. */
export interface AmazonVoucherSolution extends SolutionBase {
  captcha_voucher: string;
  existing_token: string;
}

export type AmazonSolution = AmazonCookieSolution | AmazonVoucherSolution;

export interface ChallengeTaskMap {
  GeeTestTask: GeeTestTask;
  GeeTestTaskProxyless: GeeTestTaskProxyless;
  TurnstileTask: TurnstileTask;
  TurnstileTaskProxyless: TurnstileTaskProxyless;
  AmazonTask: AmazonTask;
  AmazonTaskProxyless: AmazonTaskProxyless;
}

export interface ChallengeSolutionMap {
  GeeTestTask: GeeTestSolution;
  GeeTestTaskProxyless: GeeTestSolution;
  TurnstileTask: TurnstileSolution;
  TurnstileTaskProxyless: TurnstileTokenSolution;
  AmazonTask: AmazonSolution;
  AmazonTaskProxyless: AmazonSolution;
}
