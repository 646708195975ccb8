import { CaptaskError } from '../protocol/errors';

/** Protocol methods the server handles. */
export type MethodName =
  | 'createTask'
  | 'getTaskResult'
  | 'getBalance'
  | 'reportIncorrectImageCaptcha'
  | 'reportIncorrectTokenCaptcha';

const METHODS: ReadonlyMap<string, MethodName> = new Map([
  ['createtask', 'createTask'],
  ['gettaskresult', 'getTaskResult'],
  ['getbalance', 'getBalance'],
  ['reportincorrectimagecaptcha', 'reportIncorrectImageCaptcha'],
  ['reportincorrecttokencaptcha', 'reportIncorrectTokenCaptcha'],
  ['reportincorrectrecaptcha', 'reportIncorrectTokenCaptcha'],
]);

const METHOD_LIST =
  'createTask, getTaskResult, getBalance, reportIncorrectImageCaptcha, reportIncorrectTokenCaptcha';

/**
 * A path segment short and plain enough to repeat in an error description. A client key is
 * usually 32 hexadecimal characters, so anything longer than 24 characters is never repeated.
 */
const ECHOABLE_SEGMENT = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/;

/** The routing result of a request path, with only the log fields that are safe to log. */
export interface Route {
  /** The protocol method named by the last path segment, matched case-insensitively. */
  method: MethodName | undefined;
  /** Last non-empty path segment as sent; it may carry a secret, so never log it. */
  segment: string;
  /**
   * Log fields that describe the path without its text: a path such as
   * `/getBalance/<client key>` must not put the key into the log.
   */
  logFields: { pathSegments: number; pathLength: number };
}

/**
 * Finds the protocol method of a request URL by its last path segment, so the handler works
 * wherever it is mounted.
 *
 * @example
 * routeOf('http://localhost/api/createTask').method; // 'createTask'
 */
export function routeOf(url: string): Route {
  const path = pathnameOf(url);
  const segments = path.split('/').filter((part) => part.length > 0);
  const segment = segments[segments.length - 1] ?? '';
  return {
    method: METHODS.get(segment.toLowerCase()),
    segment,
    logFields: { pathSegments: segments.length, pathLength: path.length },
  };
}

/** Builds the ERROR_NO_SUCH_METHOD error of a path that names no method. */
export function unknownMethodError(route: Route): CaptaskError {
  let problem: string;
  if (route.segment.length === 0) problem = 'The path names no method';
  else if (ECHOABLE_SEGMENT.test(route.segment)) problem = `No method is named "${route.segment}"`;
  else problem = `The last path segment (${route.segment.length} characters) names no method`;
  return new CaptaskError('ERROR_NO_SUCH_METHOD', {
    description: `${problem}; POST to a path that ends in one of ${METHOD_LIST}.`,
  });
}

/**
 * An http(s) URL whose path holds only letters, digits, `_`, `~`, `-` and `/`. Such a path has
 * no dot segments and no escapes, so it is the pathname `new URL` would return, without the
 * cost of building a URL object on every request.
 */
const SIMPLE_URL = /^https?:\/\/[^/?#\\]*(\/[A-Za-z0-9_~/-]*)?(?:[?#]|$)/;

function pathnameOf(url: string): string {
  const simple = SIMPLE_URL.exec(url);
  if (simple !== null) return simple[1] ?? '/';
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}

/** Returns the HTTP method for logs and messages, or `other` when it is long or unusual. */
export function httpMethodLabel(method: string): string {
  return /^[A-Za-z]{1,16}$/.test(method) ? method : 'other';
}
