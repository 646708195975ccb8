import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeListener } from '@captask/node';

/** A handler served over HTTP on 127.0.0.1. */
export interface Listening {
  /** Base URL with the real port, such as `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

/**
 * Serves a `Request -> Response` handler on 127.0.0.1 with a free port, through the same
 * Node bridge that the CLI uses (client disconnects abort `request.signal`).
 */
export async function listen(handler: (request: Request) => Promise<Response>): Promise<Listening> {
  const server = createServer(createNodeListener(handler));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
