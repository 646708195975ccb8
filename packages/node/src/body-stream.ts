import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Raised into the request body stream when the body grows past `maxBodyBytes`. */
export class RequestBodyTooLargeError extends Error {
  override readonly name = 'RequestBodyTooLargeError';
  readonly maxBodyBytes: number;

  constructor(maxBodyBytes: number) {
    super(`The request body is larger than the maximum of ${maxBodyBytes} bytes.`);
    this.maxBodyBytes = maxBodyBytes;
  }
}

/** How long a socket with an unread request body stays half-closed after the response. */
const LINGER_MS = 1_000;

/**
 * Stops reading the request body and makes sure its unread remainder never reaches the next
 * request: the response carries `Connection: close`, so Node closes the socket after it.
 */
export function abandonRequestBody(req: IncomingMessage, res: ServerResponse): void {
  req.pause();

  if (req.complete) return;

  lingerBeforeDestroy(req.socket);

  if (!res.headersSent) {
    res.setHeader('Connection', 'close');
  } else if (res.writableFinished) {
    req.socket.destroySoon();
  } else {
    res.once('finish', () => req.socket.destroySoon());
  }
}

/**
 * Node destroys a `Connection: close` socket as soon as the response is flushed. With unread
 * body bytes queued, a client that is still writing can get EPIPE or a reset before it
 * reads the response. Sending FIN first and closing a little later lets it read the response.
 * The socket stays paused meanwhile, so no more body bytes are read.
 */
function lingerBeforeDestroy(socket: Socket): void {
  socket.destroySoon = () => {
    if (socket.destroyed) return;

    socket.end();

    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

/**
 * Wraps the body of `req` in a web `ReadableStream` that reads one chunk per pull, so a slow
 * consumer pauses the socket. Cancelling the stream, or passing `maxBodyBytes`, stops reading.
 */
export function createBodyStream(
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes = Number.POSITIVE_INFINITY,
): ReadableStream<Uint8Array> {
  let received = 0;
  let started = false;

  const detach = (): void => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    req.off('close', onClose);
  };

  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const onData = (chunk: Buffer): void => {
    received += chunk.byteLength;

    if (received > maxBodyBytes) {
      detach();
      abandonRequestBody(req, res);
      controller.error(new RequestBodyTooLargeError(maxBodyBytes));
      return;
    }

    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));

    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };

  const onEnd = (): void => {
    detach();
    controller.close();
  };

  const onError = (error: Error): void => {
    detach();
    controller.error(error);
  };

  const onClose = (): void => {
    if (!req.readableEnded)
      onError(new Error('The client closed the connection before the body ended.'));
  };

  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      pull() {
        if (!started) {
          started = true;

          const declared = Number(req.headers['content-length']);
          if (declared > maxBodyBytes) {
            abandonRequestBody(req, res);
            throw new RequestBodyTooLargeError(maxBodyBytes);
          }

          if (req.readableEnded) {
            controller.close();
            return;
          }

          req.on('data', onData);
          req.once('end', onEnd);
          req.once('error', onError);
          req.once('close', onClose);
        }

        req.resume();
      },
      cancel() {
        detach();
        abandonRequestBody(req, res);
      },
    },
    // A high-water mark of 0 means nothing is read from the socket until the consumer reads.
    { highWaterMark: 0 },
  );
}
