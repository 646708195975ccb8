import type { DomainCookies, OptionalProxy, ProxyFields, SolutionBase, TaskBase } from './common';

type CustomCommonFields = TaskBase & {
  type: 'CustomTask';
  /** Absolute http(s) URL of the protected page. */
  websiteURL: string;
  userAgent?: string;
};

/** DataDome; needs the caller's proxy. */
export type DataDomeTask = CustomCommonFields &
  ProxyFields & {
    class: 'DataDome';
    metadata: {
      /** The current cookie, `datadome=...`. */
      datadomeCookie: string;
      /** `new` selects the solver for the i.js + c.js pair. */
      datadomeVersion?: string;
    } & DataDomePage;
  };

/**
 * The captcha page: its `geo.captcha-delivery.com` link as the docs require, or its HTML in
 * base64 as the official JS client may send instead.
 */
export type DataDomePage =
  | { captchaUrl: string; htmlPageBase64?: string }
  | { captchaUrl?: string; htmlPageBase64: string };

/** Imperva (Incapsula); needs the caller's proxy. */
export type ImpervaTask = CustomCommonFields &
  ProxyFields & {
    class: 'Imperva';
    metadata: ImpervaScript & ImpervaCookies & { reese84UrlEndpoint?: string };
  };

/**
 * The Imperva script: its `_Incapsula_Resource?...` URL as the docs name it, or its base64 text
 * as the official JS client sends it.
 */
export type ImpervaScript = { incapsulaScriptUrl: string } | { incapsulaScriptBase64: string };

/** The `incap_ses_*` and `visid_incap_*` cookies, under the docs' or the official client's name. */
export type ImpervaCookies = { incapsulaCookies: string } | { incapsulaSessionCookie: string };

/** Basilisk. */
export type BasiliskTask = CustomCommonFields &
  OptionalProxy & {
    class: 'Basilisk';
    /** The `data-sitekey` or `site_key`. */
    websiteKey: string;
  };

/** TenDI (Tencent). */
export type TenDITask = CustomCommonFields &
  OptionalProxy & {
    class: 'TenDI';
    /** The `captchaAppId`. */
    websiteKey: string;
    /** URL of `TCaptcha.js` or `TCaptcha-global.js`. */
    metadata?: { captchaUrl?: string };
  };

/** Temu. */
export type TemuTask = CustomCommonFields &
  OptionalProxy & {
    class: 'Temu';
    /** The page's `document.cookie`. */
    metadata: { cookie: string };
  };

/** ALTCHA proof of work. */
export type AltchaTask = CustomCommonFields &
  OptionalProxy & {
    class: 'altcha';
    /** May be `""`; the official JS client leaves it out. */
    websiteKey?: string;
    metadata: {
      challenge: string;
      /** The challenge's `maxnumber`, as a string. */
      iterations: string;
      /** Passed verbatim, including any query-like suffix. */
      salt: string;
      signature: string;
    };
  };

/** Alibaba Cloud captcha. */
export type AlibabaTask = CustomCommonFields &
  OptionalProxy & {
    class: 'alibaba';
    metadata: { sceneId: string; prefix: string };
  };

/** Castle. */
export type CastleTask = CustomCommonFields &
  OptionalProxy & {
    class: 'Castle';
    /** The publishable key, `pk_...`. */
    websiteKey: string;
    metadata: {
      /** URL of `cw.js`. */
      wUrl: string;
      /** URL of `csw.js`. */
      swUrl: string;
      /** Number of tokens from 1 to 49; defaults to 1. */
      count?: number;
    };
  };

/** HUNT; needs the caller's proxy. */
export type HuntTask = CustomCommonFields &
  ProxyFields & {
    class: 'HUNT';
    metadata: {
      /** Full URL of `api.js`. */
      apiGetLib: string;
      /** The site's `meta.token`; without it the task returns a fingerprint token. */
      data?: string;
    };
  };

/** F5 TSPD; needs the caller's proxy. */
export type TspdTask = CustomCommonFields &
  ProxyFields & {
    class: 'tspd';
    userAgent: string;
    metadata: { tspdCookie: string; htmlPageBase64: string };
  };

export type CustomTask =
  | DataDomeTask
  | ImpervaTask
  | BasiliskTask
  | TenDITask
  | TemuTask
  | AltchaTask
  | AlibabaTask
  | CastleTask
  | HuntTask
  | TspdTask;

/** Class names of CustomTask. */
export type CustomTaskClass = CustomTask['class'];

/** Solution that sets cookies per domain; replace the site's cookies with these. */
export interface CookieJarSolution<Cookie extends string = string> extends SolutionBase {
  domains: DomainCookies<Cookie>;
}

export interface DataDomeSolution extends CookieJarSolution<'datadome'> {
  url?: string | null;
  fingerprint?: Record<string, unknown> | null;
  headers?: Record<string, unknown> | null;
  data?: Record<string, unknown> | null;
}

/** Solution that returns data and the User-Agent header to send with it. */
export interface DataSolution<Data> extends SolutionBase {
  data: Data & Record<string, unknown>;
  headers?: { 'User-Agent'?: string } & Record<string, unknown>;
}

export interface CustomSolutionByClass {
  DataDome: DataDomeSolution;
  /** `reese84` also appears for some sites. */
  Imperva: CookieJarSolution<'___utmvc'>;
  Basilisk: DataSolution<{ captcha_response: string }>;
  TenDI: DataSolution<{ randstr: string; ticket: string }>;
  Temu: CookieJarSolution;
  altcha: DataSolution<{ token: string; number: number }>;
  /** `tokens` is JSON text. */
  alibaba: DataSolution<{ tokens: string }>;
  Castle: DataSolution<{ tokens: string[] }> & CookieJarSolution<'__cuid'>;
  HUNT: DataSolution<{ token: string }>;
  tspd: CookieJarSolution;
}

export type CustomSolution = CustomSolutionByClass[CustomTaskClass];

export interface CustomTaskMap {
  CustomTask: CustomTask;
}

export interface CustomSolutionMap {
  CustomTask: CustomSolution;
}
