import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a raw server received. */
export interface RawRequest {
  httpMethod: string;
  path: string;
  body: string;
}

/** Writes the reply to one request, or none, on the Node response object. */
export type RawReply = (res: ServerResponse, request: RawRequest, req: IncomingMessage) => void;

export interface RawServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RawRequest[];
  close(): Promise<void>;
}

/**
 * Starts a plain Node HTTP server on 127.0.0.1 with a free port, for replies that a protocol
 * server never sends: redirects, endless bodies, hung responses. Records every request.
 */
export async function startRawServer(reply: RawReply): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        httpMethod: req.method ?? '',
        path: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      reply(res, request, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Writes a JSON reply with HTTP status `status`, 200 by default. */
export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' }).end(text);
}

/** The last path segment of a request, the protocol method. */
export function methodOf(request: RawRequest): string {
  return request.path.split('?')[0]?.split('/').pop() ?? '';
}
