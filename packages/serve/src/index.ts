import { createEnvServer, type ServeModule } from './env-server';

export { readEnv } from './env';
export { createEnvServer, type ServeModule } from './env-server';
export { serve } from './serve';
export type { FetchHandler, ListenOptions, ServeHandle, ServeOptions } from './types';

/**
 * A sandbox server configured from `CAPTASK_CLIENT_KEYS`, for `deno serve --allow-env` and
 * `bun run` on this module.
 */
const server: ServeModule = createEnvServer();

export default server;
