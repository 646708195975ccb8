import type { OptionalProxy, SolutionBase, TaskBase, WithoutProxy } from './common';

/** Inputs of an hCaptcha task. */
export type HCaptchaFields = TaskBase & {
  websiteURL: string;
  websiteKey: string;
  isInvisible?: boolean;
  /** The `rqdata` value of invisible hCaptcha. */
  data?: string;
  userAgent?: string;
  cookies?: string;
  /**
   * With `true` the service replaces an outdated userAgent and returns its own. With `false` an
   * outdated one fails with ERROR_WRONG_USERAGENT. When absent, the userAgent is used unchecked.
   */
  fallbackToActualUA?: boolean;
};

export type HCaptchaTask = { type: 'HCaptchaTask' } & HCaptchaFields & OptionalProxy;
export type HCaptchaTaskProxyless = { type: 'HCaptchaTaskProxyless' } & HCaptchaFields &
  WithoutProxy;

export interface HCaptchaSolution extends SolutionBase {
  gRecaptchaResponse: string;
  respKey: string;
  userAgent: string;
}

/** Inputs of a FunCaptcha (Arkose Labs) task. */
export type FunCaptchaFields = TaskBase & {
  websiteURL: string;
  /** The public key (`pk`). */
  websitePublicKey: string;
  /** The blob as JSON text, such as `{"blob":"..."}`. */
  data?: string;
  /** Host only, no scheme; defaults to `client-api.arkoselabs.com`. */
  funcaptchaApiJSSubdomain?: string;
  userAgent?: string;
  cookies?: string;
};

export type FunCaptchaTask = { type: 'FunCaptchaTask' } & FunCaptchaFields & OptionalProxy;
export type FunCaptchaTaskProxyless = { type: 'FunCaptchaTaskProxyless' } & FunCaptchaFields &
  WithoutProxy;

/** Solution of the token-only types: FunCaptcha, Prosopo, Yidun and MTCaptcha. */
export interface TokenSolution extends SolutionBase {
  token: string;
  userAgent?: string;
}

/** Inputs of a Binance task. */
export type BinanceFields = TaskBase & {
  websiteURL: string;
  /** The bizId, bizType or bizCode of the page. */
  websiteKey: string;
  /** The dynamic validateId, securityId or securityCheckResponseValidateId. */
  validateId: string;
  userAgent?: string;
};

export type BinanceTask = { type: 'BinanceTask' } & BinanceFields & OptionalProxy;
export type BinanceTaskProxyless = { type: 'BinanceTaskProxyless' } & BinanceFields & WithoutProxy;

export interface BinanceSolution extends SolutionBase {
  token: string;
  userAgent: string;
}

/** Inputs of a Prosopo Procaptcha task. */
export type ProsopoFields = TaskBase & {
  websiteURL: string;
  /** The `siteKey` of the widget. */
  websiteKey: string;
};

export type ProsopoTask = { type: 'ProsopoTask' } & ProsopoFields & OptionalProxy;
export type ProsopoTaskProxyless = { type: 'ProsopoTaskProxyless' } & ProsopoFields & WithoutProxy;

/** A Yidun (NECaptcha) task; `challenge`, `hcg` and `hct` mark the Enterprise version. */
export type YidunTask = {
  type: 'YidunTask';
  websiteURL: string;
  websiteKey: string;
  userAgent?: string;
  /** Full https URL of the loader script. */
  yidunGetLib?: string;
  /** Host only; must differ from `c.dun.163.com` and `c-v6.dun.163.com`. */
  yidunApiServerSubdomain?: string;
  challenge?: string;
  hcg?: string;
  /** Millisecond timestamp. */
  hct?: number;
} & TaskBase &
  OptionalProxy;

/** An MTCaptcha task. */
export type MTCaptchaTask = {
  type: 'MTCaptchaTask';
  websiteURL: string;
  /** The `sk` value of the widget. */
  websiteKey: string;
  /** The `act` value; send it only when it differs from the default `%24`. */
  pageAction?: string;
  isInvisible?: boolean;
  userAgent?: string;
} & TaskBase &
  OptionalProxy;

export interface TokenTaskMap {
  HCaptchaTask: HCaptchaTask;
  HCaptchaTaskProxyless: HCaptchaTaskProxyless;
  FunCaptchaTask: FunCaptchaTask;
  FunCaptchaTaskProxyless: FunCaptchaTaskProxyless;
  BinanceTask: BinanceTask;
  BinanceTaskProxyless: BinanceTaskProxyless;
  ProsopoTask: ProsopoTask;
  ProsopoTaskProxyless: ProsopoTaskProxyless;
  YidunTask: YidunTask;
  MTCaptchaTask: MTCaptchaTask;
}

export interface TokenSolutionMap {
  HCaptchaTask: HCaptchaSolution;
  HCaptchaTaskProxyless: HCaptchaSolution;
  FunCaptchaTask: TokenSolution;
  FunCaptchaTaskProxyless: TokenSolution;
  BinanceTask: BinanceSolution;
  BinanceTaskProxyless: BinanceSolution;
  ProsopoTask: TokenSolution;
  ProsopoTaskProxyless: TokenSolution;
  YidunTask: TokenSolution;
  MTCaptchaTask: TokenSolution;
}
