import { CaptaskError } from '@captask/core/protocol';
import type { Request } from 'express';

/** The fields of the errors that body parsers such as `express.json()` pass to `next`. */
export interface BodyParserError {
  /** body-parser's error type, such as `entity.too.large`; absent on decompression errors. */
  type?: string;
  status: number;
  /** zlib's error code, such as `Z_DATA_ERROR`, when the body did not decompress. */
  code?: string;
  /** The raw text of a body that failed to parse. */
  body?: unknown;
  limit?: number;
  length?: number;
  charset?: string;
}

/**
 * Tells whether an error comes from a body parser: a 4xx status with body-parser's `type`
 * string, or with a zlib code when a compressed body did not decompress.
 */
export function isBodyParserError(error: unknown): error is BodyParserError {
  const candidate = error as Partial<BodyParserError> | null;
  const status = candidate?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return false;
  return typeof candidate?.type === 'string' || /^Z_[A-Z_]+$/.test(String(candidate?.code));
}

/**
 * Returns the protocol error for a body-parser failure. Returns undefined when the server
 * should read the request itself: for a body that failed to parse, the server reports the
 * invalid JSON in its own words. For a charset that the parser rejected before reading, the
 * server decodes the body as UTF-8 and reports what it finds.
 */
export function protocolErrorFor(error: BodyParserError, req: Request): CaptaskError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
    case 'charset.unsupported':
      return undefined;
    case 'entity.too.large':
      return new CaptaskError('ERROR_TOO_BIG_CAPTCHA_FILESIZE', {
        description: `${tooLargeText(error)} Raise that parser's limit option to the captask server's limits.maxBodyBytes (1 MiB by default), or mount captask before it.`,
      });
    case 'encoding.unsupported':
      return absent(
        `The Content-Encoding ${headerText(req, 'content-encoding')} is not supported; send the body uncompressed or as gzip, deflate or br.`,
      );
    case 'request.aborted':
      return absent('The client aborted the request before its body arrived in full.');
    case 'request.size.invalid':
      return absent('The request body is shorter or longer than its Content-Length header.');
    case undefined:
      return absent(
        `The request body does not decompress as its Content-Encoding ${headerText(req, 'content-encoding')} states; send it uncompressed or compress it correctly.`,
      );
    default:
      return absent(
        `The body parser mounted before captask rejected the request body (${bounded(error.type)}, HTTP ${error.status}); send a JSON body without that problem.`,
      );
  }
}

function absent(description: string): CaptaskError {
  return new CaptaskError('ERROR_TASK_ABSENT', { description });
}

function tooLargeText(error: BodyParserError): string {
  const known = (value: unknown): value is number => Number.isFinite(value);
  const body = known(error.length)
    ? `The request body of ${error.length} bytes`
    : 'The request body';
  const limit = known(error.limit) ? `the ${error.limit}-byte limit` : 'the size limit';
  return `${body} is larger than ${limit} of the body parser mounted before captask, such as express.json() with its 100 KB default.`;
}

/** Quotes a request header for a message, cut to 32 characters. */
function headerText(req: Request, name: string): string {
  const value = req.headers[name];
  return JSON.stringify(bounded(Array.isArray(value) ? value.join(', ') : (value ?? '')));
}

function bounded(text: string): string {
  return text.length > 32 ? `${text.slice(0, 32)}...` : text;
}
