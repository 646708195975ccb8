import { createTaskServer, type TaskServer, type TaskServerOptions } from '@captask/core/server';
import { createNodeListener, type NodeListenerOptions, sha256Digest } from '@captask/node';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isBodyParserError, protocolErrorFor } from './parser-errors';

export interface CaptaskOptions extends TaskServerOptions {
  /** Called with errors the Node bridge catches, such as a response stream that fails. */
  onError?: NodeListenerOptions['onError'];
}

/** The two handlers to mount, plus the protocol server behind them. */
export type CaptaskMiddleware = [RequestHandler, ErrorRequestHandler] & {
  /** The server the handlers call; `await middleware.server.close()` on shutdown. */
  readonly server: TaskServer;
};

/**
 * Serves the captask protocol under its mount path. Every request there gets a protocol
 * response, so register other routes before a root mount. Returns a request handler and an
 * error handler. The error handler turns every failure of a body parser mounted earlier into
 * a protocol error (HTTP 200) instead of Express's HTML 400: `express.json()` on invalid JSON,
 * a body over the parser's limit, a broken gzip body. A body over such a parser's limit
 * gets ERROR_TOO_BIG_CAPTCHA_FILESIZE, so mount captask before body parsers, or give them a
 * limit of at least the server's `limits.maxBodyBytes` (1 MiB by default).
 *
 * @example
 * const captcha = captask({ clientKeys: ['dev-key'], solvers: createSandboxSolver() });
 * app.use('/captcha', captcha);
 */
export function captask(serverOrOptions: TaskServer | CaptaskOptions): CaptaskMiddleware {
  const server =
    typeof serverOrOptions === 'function'
      ? serverOrOptions
      : createTaskServer({ clientKeyDigest: sha256Digest, ...serverOrOptions });
  const onError = typeof serverOrOptions === 'function' ? undefined : serverOrOptions.onError;
  const listener = createNodeListener(server, { onError });

  const handle: RequestHandler = (req, res) => listener(req, res);

  const handleParserError: ErrorRequestHandler = (error, req, res, next) => {
    if (!isBodyParserError(error)) {
      next(error);
      return;
    }

    // A parse failure carries the raw text, which the server rejects in its own words. When
    // the parser gave up before reading, the bridge still streams the body from the socket.
    // Otherwise the server routes the request as usual and sends the parser's failure as
    // the protocol error of its body, with the method's own fields (taskId 0 for createTask).
    const failure = protocolErrorFor(error, req);
    if (failure !== undefined) req.body = failingStream(failure);
    else if (typeof error.body === 'string') req.body = error.body;
    else if (req.readableDidRead) req.body = failingStream(error);
    else req.body = undefined;

    listener(req, res);
  };

  return Object.assign([handle, handleParserError] as [RequestHandler, ErrorRequestHandler], {
    server,
  });
}

function failingStream(cause: unknown): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.error(cause);
    },
  });
}
