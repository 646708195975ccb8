import { CaptaskError } from '../protocol/errors';
import { readStreamBytes } from './read-stream';

/**
 * A request as plain fields, for an adapter that does not start from a web `Request`, such as
 * one on Node's http module. `TaskServer.handlePlain` takes it and skips building a `Request`
 * and a `Response` per request.
 */
export interface PlainRequest {
  /** HTTP method as sent. */
  readonly method: string;
  /** Absolute URL of the request; the server routes by its last path segment. */
  readonly url: string;
  /** The Content-Length header as sent, or null when the request has none. */
  readonly contentLength: string | null;
  /**
   * Reads the whole body. It may stop and reject once more than `maxBytes` have arrived. A
   * rejection whose `name` is `RequestBodyTooLargeError` becomes ERROR_TOO_BIG_CAPTCHA_FILESIZE,
   * a CaptaskError is sent as it is, and any other error means the body could not be read.
   */
  readBody(maxBytes: number): Promise<Uint8Array>;
  /** Discards a body that nothing will read. It never rejects. */
  discardBody(): Promise<void>;
  /** Aborts when the client leaves. It is read only for a held long poll. */
  readonly signal: AbortSignal;
}

/** The reply of `TaskServer.handlePlain`: send `body` (UTF-8) with `status` and `headers`. */
export interface PlainResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The JSON text, or null for a reply without a body (HEAD and OPTIONS). */
  body: string | null;
}

/** A web `Request` seen through the `PlainRequest` fields. */
export class WebRequestSource implements PlainRequest {
  private declaredLength: string | null | undefined = undefined;

  constructor(private readonly request: Request) {}

  get method(): string {
    return this.request.method;
  }

  get url(): string {
    return this.request.url;
  }

  get contentLength(): string | null {
    if (this.declaredLength === undefined) {
      this.declaredLength = this.request.headers.get('content-length');
    }
    return this.declaredLength;
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }

  async discardBody(): Promise<void> {
    await this.request.body?.cancel().catch(() => undefined);
  }

  async readBody(maxBytes: number): Promise<Uint8Array> {
    // With a declared length, one arrayBuffer() call is cheaper than a reader loop.
    // @hono/node-server, for one, then skips building a web stream and a full Request,
    // which reading `request.body` makes it build.
    // NOTE: a Request built in code whose Content-Length header is below its real body length
    // is buffered whole before the cap rejects it. A body received over HTTP/1.1 ends at its
    // Content-Length, because that header frames the message (RFC 9112, section 6.3).
    const declared = this.contentLength;
    if (declared !== null && /^\d+$/.test(declared)) {
      return new Uint8Array(await this.request.arrayBuffer());
    }
    if (this.request.body === null) return new Uint8Array(0);

    const bytes = await readStreamBytes(this.request.body, maxBytes);
    if (bytes === undefined) throw bodyTooLarge(maxBytes);
    return bytes;
  }
}

/** Creates the error of a request body over the server's limit. */
export function bodyTooLarge(maxBytes: number): CaptaskError {
  return new CaptaskError('ERROR_TOO_BIG_CAPTCHA_FILESIZE', {
    description: `The request body is larger than the server's limit of ${maxBytes} bytes.`,
  });
}
