/** Proxy protocols a task may name in `proxyType`. */
export type ProxyType = 'http' | 'https' | 'socks4' | 'socks5';

/**
 * The caller's own proxy, sent as flat fields inside the task. `proxyType`, `proxyAddress`
 * and `proxyPort` come together; login and password only when the proxy needs them.
 *
 * @example
 * const proxy: ProxyFields = { proxyType: 'http', proxyAddress: '203.0.113.10', proxyPort: 3128 };
 */
export type ProxyFields = {
  proxyType: ProxyType;
  /** IPv4 or IPv6 literal of the proxy. */
  proxyAddress: string;
  /** Integer from 1 to 65535. */
  proxyPort: number;
  proxyLogin?: string;
  proxyPassword?: string;
};

/** A task that carries no proxy fields. */
export type WithoutProxy = { [K in keyof ProxyFields]?: never };

/** A task that carries either a complete proxy or none. */
export type OptionalProxy = ProxyFields | WithoutProxy;

/** Fields that any task type may carry. */
export type TaskBase = {
  /** Asks the service not to hand out a cached token. */
  nocache?: boolean;
};

/**
 * Base of every solution. Providers add fields per site and over time, so a solution keeps
 * whatever extra fields the server sent.
 */
export interface SolutionBase {
  [field: string]: unknown;
}

/** Cookie jar per domain, as CustomTask and Turnstile cookie modes return it. */
export type DomainCookies<Cookie extends string = string> = Record<
  string,
  { cookies: { [Name in Cookie]: string } & Record<string, string>; [field: string]: unknown }
>;
