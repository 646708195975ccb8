import type { TaskServerOptions } from '@captask/core/server';

/** A web-standard request handler, such as the one `createTaskServer` returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Listening options of {@link serve}. */
export interface ListenOptions {
  /** TCP port; 0 lets the operating system pick a free one. Default 8080. */
  port?: number;
  /** Address to bind. Default `127.0.0.1`, so the server is reachable from this machine only. */
  hostname?: string;
  /**
   * Called with anything the handler throws. The client then gets a protocol error body
   * (`errorId` 1) with HTTP 200, never a stack trace.
   */
  onError?: (error: unknown) => void;
}

/**
 * Options of {@link serve}: a handler to serve, or the options of a new task server. A task
 * server that `serve` creates is closed by `stop()`; a handler passed in is left open.
 */
export type ServeOptions = ListenOptions &
  ({ handler: FetchHandler } | (TaskServerOptions & { handler?: undefined }));

/** A running server. */
export interface ServeHandle {
  /** Base URL without a trailing slash, such as `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The port the server listens on, also when 0 was requested. */
  readonly port: number;
  /** Stops accepting connections, waits for open requests, and closes an owned task server. */
  stop(): Promise<void>;
}
