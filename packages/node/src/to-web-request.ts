import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createBodyStream } from './body-stream';

export interface ToWebRequestOptions {
  /**
   * Body size in bytes above which the bridge stops reading and errors the body stream with
   * `RequestBodyTooLargeError`. Unset means the consumer enforces its own cap by cancelling.
   */
  maxBodyBytes?: number;
}

/** An IncomingMessage after body-parsing middleware such as `express.json()` may have run. */
type MaybeParsedRequest = IncomingMessage & { body?: unknown };

// Headers that describe the bytes on the wire, which no longer apply to a re-serialized body.
const WIRE_HEADERS = ['content-length', 'content-encoding', 'transfer-encoding'];

/**
 * Converts a Node request into a web `Request`. The URL joins the `Host` header with `req.url`
 * (the mount-relative path under Express). The body streams from the socket on demand, unless
 * `req.body` is a ReadableStream, or middleware has read the stream and left `req.body`: a
 * string or bytes are sent as is, any other value as JSON. The request's `signal` aborts when
 * the client disconnects before the response finishes.
 *
 * @example
 * const request = toWebRequest(req, res, { maxBodyBytes: 1_000_000 });
 * const response = await handler(request);
 */
export function toWebRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: ToWebRequestOptions = {},
): Request {
  const method = req.method ?? 'GET';
  const headers = toWebHeaders(req);
  const controller = new AbortController();

  res.once('close', () => {
    if (res.writableFinished) return;

    controller.abort(new DOMException('The client closed the connection.', 'AbortError'));
  });

  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };

  if (method !== 'GET' && method !== 'HEAD') {
    init.body = selectBody(req, res, headers, options);
    init.duplex = 'half';
  }

  return new Request(buildUrl(req), init);
}

function buildUrl(req: IncomingMessage): string {
  const protocol = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const path = req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`;

  // Concatenating keeps a path such as `//other.host/x` a path instead of a new origin.
  try {
    return new URL(`${protocol}://${req.headers.host ?? 'localhost'}${path}`).href;
  } catch {
    return new URL(`${protocol}://localhost${path}`).href;
  }
}

function toWebHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;

  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;

    // HTTP/2 pseudo-headers such as `:path` are not valid header names in the Fetch API.
    if (!name.startsWith(':')) headers.append(name, raw[i + 1] as string);
  }

  return headers;
}

function selectBody(
  req: MaybeParsedRequest,
  res: ServerResponse,
  headers: Headers,
  options: ToWebRequestOptions,
): BodyInit {
  const parsed = req.body;

  if (parsed instanceof ReadableStream) return parsed;

  // Middleware that did not read the stream (a parser that skipped this content type) may
  // still have set `req.body`, so the stream, not `req.body`, is the source then.
  const consumed = req.readableDidRead || req.readableEnded;
  if (parsed === undefined || !consumed) return createBodyStream(req, res, options.maxBodyBytes);

  for (const name of WIRE_HEADERS) headers.delete(name);

  if (typeof parsed === 'string') return parsed;
  if (parsed instanceof Uint8Array) return new Uint8Array(parsed);

  headers.set('content-type', 'application/json');
  return JSON.stringify(parsed);
}
