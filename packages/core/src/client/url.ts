/**
 * Base URL of CapMonster Cloud, the client's default service.
 *
 * @example
 * createClient({ clientKey, baseUrl: CAPMONSTER_CLOUD_URL });
 */
export const CAPMONSTER_CLOUD_URL = 'https://api.capmonster.cloud';

/**
 * Appends a method name to a base URL, keeping any path prefix with or without a trailing
 * slash, and dropping a query string or fragment from the base.
 *
 * @example
 * methodUrl('http://127.0.0.1:8080/captcha/', 'createTask'); // 'http://127.0.0.1:8080/captcha/createTask'
 */
export function methodUrl(baseUrl: string, method: string): string {
  const url = new URL(baseUrl);
  const prefix = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  url.pathname = `${prefix}${method}`;
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Checks that a base URL is absolute http(s) and carries no user name or password. */
export function checkBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('baseUrl is not an absolute URL; pass one such as https://host/path');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must use http or https, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('baseUrl must not contain a user name or password');
  }
}
