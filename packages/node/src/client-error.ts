import type { Duplex } from 'node:stream';

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
 * was sent on it yet, and never reads or repeats the request.
 *
 * Create the server with `requireHostHeader: false`, because Node answers a request without
 * a Host header by itself before any listener runs; `createNodeListener` then answers it.
 *
 * @example
 * const server = http.createServer({ requireHostHeader: false }, createNodeListener(handler));
 * server.on('clientError', handleClientError);
 */
export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (error.code === 'ECONNRESET' || !socket.writable || written > 0) {
    socket.destroy();
    return;
  }

  const reply = replyFor(error.code);
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
