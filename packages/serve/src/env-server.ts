import { CaptaskError, toCaptaskError } from '@captask/core/protocol';
import {
  type ClientKeyEntry,
  createSandboxSolver,
  createTaskServer,
  parseClientKeys,
  type TaskServer,
} from '@captask/core/server';
import { readEnv } from './env';
import type { FetchHandler } from './types';

/**
 * A module default export that `deno serve` and `bun run` start by themselves: Bun reads
 * `fetch`, `hostname` and `development`, and takes the port from `PORT` (default 3000). Deno
 * reads `fetch` and takes the address from its `--host` and `--port` flags.
 */
export interface ServeModule {
  fetch: FetchHandler;
  hostname: string;
  /** Always false, because Bun's development mode responds to errors with an HTML page. */
  development: false;
}

/**
 * Creates a sandbox task server configured from the environment: `CAPTASK_CLIENT_KEYS` contains
 * the comma-separated client keys. The server is created on the first request, so importing
 * this module reads no variable and starts no timer. Without keys, every request gets
 * ERROR_KEY_DOES_NOT_EXIST with a description that names the variable.
 *
 * @example
 * // main.ts, started with `deno serve --allow-env main.ts` or `bun run main.ts`
 * export default createEnvServer();
 */
export function createEnvServer(): ServeModule {
  let server: TaskServer | CaptaskError | undefined;

  const fetch: FetchHandler = async (request) => {
    try {
      server ??= createFromEnv();
      if (server instanceof CaptaskError) return Response.json(server.toProtocol());
      return await server(request);
    } catch (error) {
      return Response.json(toCaptaskError(error).toProtocol());
    }
  };

  return { fetch, hostname: '127.0.0.1', development: false };
}

/**
 * Creates the task server, or returns the error every request gets when the variable cannot be
 * read (Deno without `--allow-env`), is invalid, or contains no key. Messages never repeat a key.
 */
function createFromEnv(): TaskServer | CaptaskError {
  let clientKeys: ClientKeyEntry[];
  try {
    clientKeys = parseClientKeys(readEnv('CAPTASK_CLIENT_KEYS') ?? '');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return new CaptaskError('ERROR_KEY_DOES_NOT_EXIST', {
      description: `CAPTASK_CLIENT_KEYS could not be used: ${reason}`,
      cause: error,
    });
  }

  if (clientKeys.length === 0) {
    return new CaptaskError('ERROR_KEY_DOES_NOT_EXIST', {
      description: 'The server has no client keys: set CAPTASK_CLIENT_KEYS and restart it.',
    });
  }
  return createTaskServer({ clientKeys, solvers: createSandboxSolver() });
}
