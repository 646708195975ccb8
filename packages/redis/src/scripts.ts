import type { Redis } from 'ioredis';

/** Calls a Lua script by its SHA-1 (EVALSHA), loading it first when Redis does not have it. */
export type ScriptCall = (
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<unknown>;

/**
 * Registers a Lua script on the connection with ioredis `defineCommand`, which sends EVALSHA
 * and falls back to EVAL when the script cache is empty (after a Redis restart, for example).
 * The command name carries a `captask` prefix so it cannot clash with the caller's own scripts.
 */
export function defineScript(
  redis: Redis,
  name: string,
  numberOfKeys: number,
  lua: string,
): ScriptCall {
  const command = `captask${name}`;
  redis.defineCommand(command, { numberOfKeys, lua });

  return (keys, args) => {
    const method = (
      redis as unknown as Record<string, (...parts: (string | number)[]) => Promise<unknown>>
    )[command];
    if (method === undefined)
      throw new Error(`Redis script ${command} is not defined on this connection.`);
    return method.call(redis, ...keys, ...args);
  };
}
