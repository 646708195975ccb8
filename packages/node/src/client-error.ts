import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { lastResponseOn } from './responses-in-flight';

interface ClientErrorReply {
  status: number;
  reason: string;
  errorCode: string;
  errorDescription: string;
}

/** Picks the HTTP status and protocol error for an error of Node's HTTP parser. */
function replyFor(code: string | undefined): ClientErrorReply {
  switch (code) {
    case 'HPE_INVALID_METHOD':
      return {
        status: 400,
        reason: 'Bad Request',
        errorCode: 'ERROR_NO_SUCH_METHOD',
        errorDescription:
          'The HTTP method is not one this server knows; send protocol methods as POST.',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        errorCode: 'ERROR_TOO_BIG_CAPTCHA_FILESIZE',
        errorDescription:
          'The request headers are larger than the server accepts (16 KiB by default in Node); send fewer or shorter headers.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        errorCode: 'ERROR_TASK_ABSENT',
        errorDescription:
          'The request did not arrive completely within the server time limit; send it again without pauses.',
      };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        errorCode: 'ERROR_TASK_ABSENT',
        errorDescription: `The request is not valid HTTP/1.1 (${code ?? 'parse error'}); check its Content-Length, Transfer-Encoding and header syntax.`,
      };
  }
}

/**
 * Answers a request that Node's HTTP parser rejected (an unknown method, headers over the
 * size limit, an invalid Content-Length, a request timeout) with the protocol's JSON error
 * shape instead of Node's bare status line, then closes the connection. Use it as the
 * server's `clientError` listener. It writes only when the socket is writable and nothing
 * was sent on it yet, and never reads or repeats the request. When the bad bytes follow a
 * pipelined request whose response `createNodeListener` is still writing, the reply to that request
 * goes out first and the error after it.
 *
 * Create the server with `requireHostHeader: false`, because Node answers a request without
 * a Host header by itself before any listener runs; `createNodeListener` then answers it.
 *
 * @example
 * const server = http.createServer({ requireHostHeader: false }, createNodeListener(handler));
 * server.on('clientError', handleClientError);
 */
export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  // Bytes pipelined after a request of createNodeListener failed to parse. The reply to that
  // request goes out first and this error after it, so the earlier request is not lost.
  const last = lastResponseOn(socket);
  if (last !== undefined && !last.writableFinished && !last.destroyed) {
    let replied = false;
    const replyAfter = (): void => {
      if (replied) return;
      replied = true;
      if (socket.writable && last.writableFinished) writeErrorReply(error, socket);
      else socket.destroy();
    };
    last.once('finish', replyAfter);
    last.once('close', replyAfter);
    return;
  }
  // Anything else already written belongs to a response of another listener, which this
  // reply must not cut into.
  const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (written > 0 && last?.writableFinished !== true) {
    socket.destroy();
    return;
  }
  writeErrorReply(error, socket);
}

/** Writes the protocol JSON reply for a parse error, then closes the connection. */
function writeErrorReply(error: Error & { code?: string }, socket: Duplex): void {
  writeRawReply(socket, replyFor(error.code));
}

/** Writes a complete HTTP/1.1 reply with a protocol JSON error body, then closes the socket. */
function writeRawReply(socket: Duplex, reply: ClientErrorReply): void {
  const body = JSON.stringify({
    errorId: 1,
    errorCode: reply.errorCode,
    errorDescription: reply.errorDescription,
  });
  const head = [
    `HTTP/1.1 ${reply.status} ${reply.reason}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ].join('\r\n');
  socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
}

/**
 * Replies to a CONNECT request with HTTP 405 and ERROR_NO_SUCH_METHOD in the protocol's JSON
 * shape, then closes the connection. Node hands CONNECT to the server's `connect` event instead
 * of the request listener, and closes the socket without a reply when nothing listens there.
 *
 * @example
 * server.on('connect', handleConnect);
 */
export function handleConnect(_req: IncomingMessage, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  writeRawReply(socket, {
    status: 405,
    reason: 'Method Not Allowed',
    errorCode: 'ERROR_NO_SUCH_METHOD',
    errorDescription: 'HTTP method CONNECT is not supported; send protocol methods as POST.',
  });
}

/**
 * Replies to a request whose Expect header is not `100-continue` with HTTP 417 in the protocol's
 * JSON shape. Node emits such requests as `checkExpectation`, and without a listener it
 * replies with an empty 417 of its own.
 *
 * @example
 * server.on('checkExpectation', handleExpectation);
 */
export function handleExpectation(_req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({
    errorId: 1,
    errorCode: 'ERROR_TASK_ABSENT',
    errorDescription:
      'The Expect header is not one this server supports; send the request without it or with Expect: 100-continue.',
  });
  res.writeHead(417, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}
