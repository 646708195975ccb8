import { toCaptaskError } from '@captask/core/protocol';
import { createTaskServer, type TaskServer } from '@captask/core/server';
import { bunGlobal, denoGlobal } from './runtime-globals';
import type { FetchHandler, ServeHandle, ServeOptions } from './types';

/**
 * Starts an HTTP server for the captask protocol with `Deno.serve` under Deno or `Bun.serve`
 * under Bun, on `hostname` 127.0.0.1 and `port` 8080 by default.
 *
 * @throws Error on any other runtime. On Node, use `@captask/node` or `@captask/hono`.
 * @example
 * const server = await serve({ clientKeys: ['demo-key'], solvers: createSandboxSolver(), port: 0 });
 * const response = await fetch(`${server.url}/getBalance`, { method: 'POST', body: '{}' });
 * await server.stop();
 */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const { port = 8080, hostname = '127.0.0.1', onError } = options;
  const deno = denoGlobal();
  const bun = bunGlobal();
  if (!deno && !bun) {
    throw new Error(
      'serve() runs only under Deno or Bun. On Node, use @captask/node or @captask/hono.',
    );
  }

  let owned: TaskServer | undefined;
  let fetchHandler: FetchHandler;
  if (options.handler) {
    fetchHandler = options.handler;
  } else {
    const { port: _port, hostname: _hostname, onError: _onError, ...serverOptions } = options;
    owned = createTaskServer(serverOptions);
    fetchHandler = owned;
  }
  const respondToError = (error: unknown): Response => {
    onError?.(error);
    return Response.json(toCaptaskError(error).toProtocol());
  };

  let listening: { port: number; stop(): Promise<void> };
  if (deno) {
    const server = deno.serve({
      port,
      hostname,
      handler: fetchHandler,
      // An empty callback replaces Deno's default, which prints the address to the console.
      onListen: () => {},
      onError: respondToError,
    });
    listening = { port: server.addr.port, stop: () => server.shutdown() };
  } else {
    const server = (bun as NonNullable<typeof bun>).serve({
      port,
      hostname,
      // Bun's development mode responds to errors with an HTML page that shows the stack.
      development: false,
      fetch: fetchHandler,
      error: respondToError,
    });
    listening = { port: server.port, stop: async () => server.stop() };
  }

  return {
    url: `http://${formatHost(hostname)}:${listening.port}`,
    port: listening.port,
    async stop(): Promise<void> {
      await listening.stop();
      await owned?.close();
    },
  };
}

/** Wraps an IPv6 address in brackets for use in a URL. */
function formatHost(hostname: string): string {
  return hostname.includes(':') ? `[${hostname}]` : hostname;
}
