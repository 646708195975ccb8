import { createTaskServer, type TaskServer, type TaskServerOptions } from '@captask/core/server';
import { createNodeListener, type NodeListenerOptions } from '@captask/node';
import type { ErrorRequestHandler, RequestHandler } from 'express';

export interface CaptaskOptions extends TaskServerOptions {
  /** Called with errors the Node bridge catches, such as a response stream that fails. */
  onError?: NodeListenerOptions['onError'];
}

/** The two handlers to mount, plus the protocol server behind them. */
export type CaptaskMiddleware = [RequestHandler, ErrorRequestHandler] & {
  /** The server the handlers call; `await middleware.server.close()` on shutdown. */
  readonly server: TaskServer;
};

/** The fields of the errors that body parsers such as `express.json()` pass to `next`. */
interface BodyParserError {
  type: string;
  status: number;
  body?: unknown;
}

/**
 * Serves the captask protocol under its mount path. Every request there gets a protocol
 * response, so register other routes before a root mount. Returns a request handler and an
 * error handler: the second turns a body-parser failure from middleware mounted earlier, such
 * as `express.json()` on invalid JSON, into a protocol error instead of Express's HTML 400.
 * A body over such a parser's limit is read and dropped by the parser, so the server can only
 * reply ERROR_TASK_ABSENT: mount captask before body parsers, or give them a limit of at least
 * the server's `limits.maxBodyBytes` (1 MiB by default).
 *
 * @example
 * const captcha = captask({ clientKeys: ['dev-key'], solvers: createSandboxSolver() });
 * app.use('/captcha', captcha);
 */
export function captask(serverOrOptions: TaskServer | CaptaskOptions): CaptaskMiddleware {
  const server =
    typeof serverOrOptions === 'function' ? serverOrOptions : createTaskServer(serverOrOptions);
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
    // Bytes a parser read and then dropped are gone, so the server gets a failing stream.
    if (typeof error.body === 'string') req.body = error.body;
    else if (req.readableDidRead) req.body = failingStream(error);
    else req.body = undefined;

    listener(req, res);
  };

  return Object.assign([handle, handleParserError] as [RequestHandler, ErrorRequestHandler], {
    server,
  });
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const candidate = error as Partial<BodyParserError> | null;

  return (
    typeof candidate?.type === 'string' &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}

function failingStream(cause: unknown): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.error(cause);
    },
  });
}
