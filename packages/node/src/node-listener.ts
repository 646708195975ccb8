import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type PlainResponse, plainEntryOf } from '@captask/core/server';
import { hasUnreadBody, NodePlainRequest, writePlainResponse } from './plain-request';
import { trackResponse } from './responses-in-flight';
import { type ToWebRequestOptions, toWebRequest } from './to-web-request';
import { writeWebResponse } from './write-web-response';

/** A web-standard request handler, such as the one `createTaskServer` returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

export interface NodeListenerOptions extends ToWebRequestOptions {
  /**
   * Called with every error the listener catches: a handler that throws or rejects, or a
   * response body that fails while streaming. Errors thrown by `onError` itself are ignored.
   */
  onError?(error: unknown, context: { req: IncomingMessage }): void;
}

/**
 * Body of the HTTP 500 sent when the handler throws. It has the protocol's error shape with
 * `ERROR_NO_SLOT_AVAILABLE`, the catalogue's transient "retry later" code, which is also what
 * `createTaskServer` sends when it fails internally. The error itself goes to `onError` only.
 */
export const INTERNAL_ERROR_BODY = JSON.stringify({
  errorId: 1,
  errorCode: 'ERROR_NO_SLOT_AVAILABLE',
  errorDescription: 'The server failed to handle the request; retry later.',
});

/**
 * Adapts a `(Request) => Promise<Response>` handler to a Node `http` request listener.
 * CONNECT, TRACE and TRACK, which a Fetch `Request` cannot carry, get a JSON 405 instead, and
 * an HTTP/1.1 request without a Host header gets a JSON 400. A task server from
 * `createTaskServer` is called through its `handlePlain` while the body is still unread, which
 * spares a `Request` and a `Response` per request. Any other handler, a wrapper around a task
 * server included, gets a `Request`.
 *
 * @example
 * const server = http.createServer(createNodeListener(createTaskServer({ clientKeys })));
 * server.listen(8080, '127.0.0.1');
 */
export function createNodeListener(
  handler: FetchHandler,
  options: NodeListenerOptions = {},
): RequestListener {
  return (req, res) => {
    trackResponse(req.socket, res);
    void handleNodeRequest(req, res, handler, options);
  };
}

// HTTP methods that the Fetch API forbids, so no `Request` can carry them.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

async function handleNodeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  handler: FetchHandler,
  options: NodeListenerOptions,
): Promise<void> {
  let response: Response;

  // Reached only on servers created with `requireHostHeader: false`, because Node rejects
  // such a request itself otherwise.
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    res.setHeader('connection', 'close');
    sendJson(res, 400, {
      errorId: 1,
      errorCode: 'ERROR_TASK_ABSENT',
      errorDescription: 'The HTTP/1.1 request has no Host header, which HTTP/1.1 requires.',
    });
    return;
  }

  if (FORBIDDEN_METHODS.has(req.method ?? '')) {
    const description = `HTTP method ${req.method} is not supported.`;
    sendJson(res, 405, {
      errorId: 1,
      errorCode: 'ERROR_NO_SUCH_METHOD',
      errorDescription: description,
    });
    return;
  }

  const handlePlain = plainEntryOf(handler);
  if (handlePlain !== undefined && hasUnreadBody(req)) {
    let reply: PlainResponse;
    try {
      reply = await handlePlain(new NodePlainRequest(req, res, options.maxBodyBytes));
    } catch (error) {
      report(options, error, req);
      sendInternalError(res);
      return;
    }
    writePlainResponse(res, reply);
    return;
  }

  try {
    response = await handler(toWebRequest(req, res, options));
  } catch (error) {
    report(options, error, req);
    sendInternalError(res);
    return;
  }

  try {
    await writeWebResponse(res, response);
  } catch (error) {
    report(options, error, req);
  }
}

function sendInternalError(res: ServerResponse): void {
  if (res.destroyed) return;

  if (res.headersSent) {
    res.destroy();
    return;
  }

  sendJson(res, 500, INTERNAL_ERROR_BODY);
}

function sendJson(res: ServerResponse, status: number, body: string | object): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);

  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function report(options: NodeListenerOptions, error: unknown, req: IncomingMessage): void {
  try {
    options.onError?.(error, { req });
  } catch {
    // A failing error reporter must not turn into an unhandled rejection.
  }
}
