import { CaptaskError, isCaptaskError } from '../protocol/errors';
import { bodyTooLarge, type PlainRequest } from './plain-request';

/** The body side of a request, as `readJsonBody` reads it. */
export type BodySource = Pick<PlainRequest, 'contentLength' | 'readBody' | 'discardBody'>;

/** Default request body cap: 1 MiB, enough for a 50 KB image in base64 many times over. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request body as a JSON object whatever its Content-Type. Rejects a declared
 * Content-Length above `maxBytes` before reading. Without a declared length the source stops
 * reading as soon as the bytes read pass `maxBytes` (`WebRequestSource` cancels the stream), so
 * an oversized body is never buffered whole.
 * Throws a CaptaskError: ERROR_TOO_BIG_CAPTCHA_FILESIZE for a body over the cap,
 * ERROR_TASK_ABSENT for an empty body, invalid UTF-8, invalid JSON or a non-object, and the
 * CaptaskError itself when the body stream fails with one.
 *
 * @example
 * const { value } = await readJsonBody(request, 1024 * 1024);
 */
export async function readJsonBody(request: BodySource, maxBytes: number): Promise<JsonBody> {
  const text = await readBodyText(request, maxBytes);
  if (BLANK.test(text)) {
    throw new CaptaskError('ERROR_TASK_ABSENT', {
      description: 'The request body is empty; send a JSON object such as {"clientKey":"..."}.',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CaptaskError('ERROR_TASK_ABSENT', {
      description:
        'The request body is not valid JSON; send a JSON object such as {"clientKey":"..."}.',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new CaptaskError('ERROR_TASK_ABSENT', {
      description: `The request body must be a JSON object, got ${kind}.`,
    });
  }
  return { value: value as Record<string, unknown>, text };
}

/** A request body parsed as a JSON object, with its text for messages about digits JSON.parse lost. */
export interface JsonBody {
  value: Record<string, unknown>;
  text: string;
}

/** Matches a text of only white space; unlike `trim()`, it copies nothing. */
const BLANK = /^\s*$/;

async function readBodyText(request: BodySource, maxBytes: number): Promise<string> {
  const declared = request.contentLength;
  if (declared !== null && Number(declared) > maxBytes) {
    await request.discardBody();
    throw bodyTooLarge(maxBytes);
  }
  const bytes = await request.readBody(maxBytes).catch(readFailure(maxBytes));
  if (bytes.byteLength > maxBytes) throw bodyTooLarge(maxBytes);
  return decodeUtf8(bytes);
}

/** Returns the handler that turns a failed body read into the protocol error to send. */
function readFailure(maxBytes: number): (cause: unknown) => never {
  return (cause) => {
    // An adapter that enforces its own cap (such as @captask/node) errors the stream with this name.
    if ((cause as { name?: unknown } | null)?.name === 'RequestBodyTooLargeError') {
      throw bodyTooLarge(maxBytes);
    }
    // An adapter that has the reason the body failed (such as @captask/express after a body
    // parser rejected it) errors the stream with the protocol error to send.
    if (isCaptaskError(cause)) throw cause;
    throw new CaptaskError('ERROR_TASK_ABSENT', {
      description: 'The request body could not be read to the end.',
      cause,
    });
  };
}

/** Without the `stream` option a decoder keeps no state between calls, so one serves all. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new CaptaskError('ERROR_TASK_ABSENT', {
      description: 'The request body is not valid UTF-8 text.',
    });
  }
}
