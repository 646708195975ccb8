import type { WorkerApi } from './worker-api';

type RequestHandler = (request: Request) => Promise<Response>;

/** Properties every function has; the wrapper keeps its own. */
const FUNCTION_OWN_KEYS: ReadonlySet<string | symbol> = new Set(['length', 'name', 'prototype']);

/** Tells whether the path's second-to-last segment is `worker`, as in `/worker/claim`. */
export function isWorkerPath(url: string): boolean {
  const segments = new URL(url).pathname.split('/').filter(Boolean);
  return segments.length >= 2 && segments[segments.length - 2] === 'worker';
}

/**
 * Serves the worker API next to a task server: requests to `.../worker/<method>` go to the
 * worker API and everything else goes to the task server. The result keeps the task server's
 * own properties (such as `close` and `store`), so it can replace the task server anywhere.
 *
 * @example
 * const tasks = createTaskServer({ store, solvers: createQueueSolver({ queue }) });
 * const handler = withWorkerApi(tasks, createWorkerApi({ queue, store, workerKeys }));
 * http.createServer(createNodeListener(handler)).listen(8080);
 */
export function withWorkerApi<Server extends RequestHandler>(
  server: Server,
  workerApi: WorkerApi,
): Server {
  const handler: RequestHandler = (request) =>
    isWorkerPath(request.url) ? workerApi(request) : server(request);

  // NOTE: the copied `handlePlain` sends every path to the task server, worker paths included.
  // Adapters look the entry up with `plainEntryOf`, which ignores copies, so they serve this
  // wrapper through its Request entry. Only a direct call of `handlePlain` skips the worker API.
  for (const name of Reflect.ownKeys(server)) {
    if (FUNCTION_OWN_KEYS.has(name)) continue;
    Object.defineProperty(handler, name, {
      enumerable: true,
      get: () => {
        const value: unknown = Reflect.get(server, name);
        return typeof value === 'function' ? value.bind(server) : value;
      },
    });
  }
  return handler as Server;
}
