import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A fault the proxy injects into one request:
 * - `status`: respond with this status and body without forwarding, or after forwarding and
 *   discarding the target's response when `afterForwarding` is set (a load balancer that timed
 *   out or failed once the request had reached the target);
 * - `drop: 'before-forwarding'`: close the connection without forwarding;
 * - `drop: 'after-forwarding'`: forward, then close the connection without responding;
 * - `delayMs`: forward, then hold the response back this long.
 */
export type Fault =
  | { status: number; body: string; contentType?: string; afterForwarding?: boolean }
  | { drop: 'before-forwarding' | 'after-forwarding' }
  | { delayMs: number };

/** Request facts passed to the fault plan. */
export interface ProxiedRequest {
  /** Last path segment, such as `createTask`. */
  method: string;
  /** Number of requests of this method so far, from 0. */
  index: number;
  body: string;
}

export interface FaultProxy {
  url: string;
  /** Requests forwarded to the target, per method. */
  forwarded: Record<string, number>;
  /** Faults injected, as `method:kind` strings in order. */
  injected: string[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP proxy on 127.0.0.1 that forwards protocol POSTs to `target` and injects the
 * faults that `plan` returns. Requests for which `plan` returns undefined pass unchanged.
 */
export async function startFaultProxy(options: {
  target: string;
  plan(request: ProxiedRequest): Fault | undefined;
}): Promise<FaultProxy> {
  const counters: Record<string, number> = {};
  const forwarded: Record<string, number> = {};
  const injected: string[] = [];

  const forward = async (method: string, body: string): Promise<Response> => {
    forwarded[method] = (forwarded[method] ?? 0) + 1;
    return fetch(`${options.target}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = (request.url ?? '/').split('/').pop() ?? '';
    const index = counters[method] ?? 0;
    counters[method] = index + 1;
    const fault = options.plan({ method, index, body });

    if (fault !== undefined && 'status' in fault) {
      if (fault.afterForwarding === true) await (await forward(method, body)).text();
      injected.push(`${method}:status-${fault.status}`);
      response.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/html' });
      response.end(fault.body);
      return;
    }
    if (fault !== undefined && 'drop' in fault && fault.drop === 'before-forwarding') {
      injected.push(`${method}:drop-before-forwarding`);
      request.socket.destroy();
      return;
    }

    const upstream = await forward(method, body);
    const text = await upstream.text();
    if (fault !== undefined && 'drop' in fault) {
      injected.push(`${method}:drop-after-forwarding`);
      request.socket.destroy();
      return;
    }
    if (fault !== undefined && 'delayMs' in fault) {
      injected.push(`${method}:delay-${fault.delayMs}`);
      await delay(fault.delayMs);
      if (request.socket.destroyed) return;
    }
    response.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    });
    response.end(text);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    injected,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
