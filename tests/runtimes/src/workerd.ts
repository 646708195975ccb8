import { dirname } from 'node:path';
import { Log, LogLevel, Miniflare } from 'miniflare';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  /** Path of a bundled ES module worker (`export default { fetch }`). */
  scriptPath: string;
  /** Text bindings, available as `env.NAME` in the worker. */
  bindings?: Record<string, string>;
  compatibilityDate?: string;
}

/**
 * Starts a worker in workerd through miniflare's API with no outbound requests. `dispatchFetch`
 * sends a request to the worker in workerd and returns its response.
 *
 * @example
 * const worker = await startWorker({ scriptPath: bundle });
 * const response = await worker.dispatchFetch('http://127.0.0.1/getBalance', { method: 'POST' });
 * await worker.dispose();
 */
export async function startWorker(options: WorkerOptions): Promise<Miniflare> {
  const miniflare = new Miniflare({
    log: new Log(LogLevel.WARN),
    // Without `cf: false`, miniflare downloads the `Request.cf` placeholder from Cloudflare.
    cf: false,
    modules: true,
    modulesRoot: dirname(options.scriptPath),
    scriptPath: options.scriptPath,
    bindings: options.bindings ?? {},
    compatibilityDate: options.compatibilityDate ?? '2025-09-01',
    host: '127.0.0.1',
  });
  await miniflare.ready;
  return miniflare;
}
