import { type CaptaskClient, type ClientOptions, createClient } from '@captask/core/client';
import type { Context, MiddlewareHandler } from 'hono';

/** Context variables that {@link captaskClient} sets. */
export interface CaptaskVariables {
  captask: CaptaskClient;
}

/**
 * Creates a middleware that puts a captask client on the context as `c.get('captask')`.
 * Pass client options to share one client across requests, or a function of the context to
 * build the client per request, for example from Cloudflare Workers bindings in `c.env`.
 *
 * @example
 * app.get('/solve', captaskClient({ clientKey: 'key', baseUrl: 'http://127.0.0.1:8080' }), async (c) => {
 *   const { solution } = await c.get('captask').solve({ type: 'ImageToTextTask', body: image });
 *   return c.json(solution);
 * });
 */
export function captaskClient(
  options: ClientOptions | ((c: Context) => ClientOptions),
): MiddlewareHandler<{ Variables: CaptaskVariables }> {
  const sharedClient = typeof options === 'function' ? undefined : createClient(options);

  return async (c, next) => {
    const client = sharedClient ?? createClient((options as (c: Context) => ClientOptions)(c));
    c.set('captask', client);
    await next();
  };
}
