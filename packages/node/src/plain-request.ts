import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlainRequest, PlainResponse } from '@captask/core/server';
import { abandonRequestBody, RequestBodyTooLargeError } from './body-stream';

type MaybeParsedRequest = IncomingMessage & { body?: unknown };

/**
 * Tells whether the request body is still on the socket, unread by any middleware, so that the
 * task server can read it through a `PlainRequest`. A body that a parser read, or a stream an
 * adapter put into `req.body`, goes through a web `Request` instead.
 */
export function hasUnreadBody(req: MaybeParsedRequest): boolean {
  const parsed = req.body;
  if (parsed instanceof ReadableStream) return false;
  return parsed === undefined || !(req.readableDidRead || req.readableEnded);
}

/**
 * A Node request as the `PlainRequest` fields. The body is read straight from the socket with
 * the cap applied while it arrives, and the abort signal is made only when the server reads it.
 */
export class NodePlainRequest implements PlainRequest {
  readonly method: string;
  readonly url: string;
  readonly contentLength: string | null;
  private controller: AbortController | undefined = undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly maxBodyBytes = Number.POSITIVE_INFINITY,
  ) {
    this.method = req.method ?? 'GET';
    // The server routes by the path alone, so any origin does. Concatenating keeps a path such
    // as `//other.host/x` a path.
    const path = req.url?.startsWith('/') ? req.url : `/${req.url ?? ''}`;
    this.url = `http://localhost${path}`;
    this.contentLength = req.headers['content-length'] ?? null;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      const controller = new AbortController();
      this.controller = controller;
      const abort = (): void => {
        if (this.res.writableFinished) return;
        controller.abort(new DOMException('The client closed the connection.', 'AbortError'));
      };
      if (this.res.destroyed) abort();
      else this.res.once('close', abort);
    }
    return this.controller.signal;
  }

  async discardBody(): Promise<void> {
    // A request that declares no body has nothing to discard, so its connection stays open.
    const headers = this.req.headers;
    const declaresBody =
      headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
    if (declaresBody) abandonRequestBody(this.req, this.res);
  }

  readBody(maxBytes: number): Promise<Uint8Array> {
    const { req, res } = this;
    const limit = Math.min(maxBytes, this.maxBodyBytes);
    if (Number(this.contentLength) > limit) {
      abandonRequestBody(req, res);
      return Promise.reject(new RequestBodyTooLargeError(limit));
    }
    if (req.readableEnded) return Promise.resolve(new Uint8Array(0));

    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const detach = (): void => {
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('error', onError);
        req.off('close', onClose);
      };
      const onData = (chunk: Buffer): void => {
        received += chunk.byteLength;
        if (received > limit) {
          detach();
          abandonRequestBody(req, res);
          reject(new RequestBodyTooLargeError(limit));
          return;
        }
        chunks.push(chunk);
      };
      const onEnd = (): void => {
        detach();
        resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
      };
      const onError = (error: Error): void => {
        detach();
        reject(error);
      };
      const onClose = (): void => {
        if (req.readableEnded) return;
        onError(new Error('The client closed the connection before the body ended.'));
      };
      req.on('data', onData);
      req.once('end', onEnd);
      req.once('error', onError);
      req.once('close', onClose);
    });
  }
}

/** Writes a plain reply, with its Content-Length, unless the client has gone. */
export function writePlainResponse(res: ServerResponse, reply: PlainResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.body !== null) headers['content-length'] = Buffer.byteLength(reply.body);
  res.writeHead(reply.status, headers);
  res.end(reply.body ?? undefined);
}
