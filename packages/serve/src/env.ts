import { bunGlobal, denoGlobal } from './runtime-globals';

/**
 * Reads an environment variable under Deno (`Deno.env.get`), Bun (`Bun.env`) or any runtime
 * with a `process.env` global, and returns undefined elsewhere.
 *
 * @throws Error under Deno without the permission to read the variable.
 * @example
 * const keys = readEnv('CAPTASK_CLIENT_KEYS');
 */
export function readEnv(name: string): string | undefined {
  const deno = denoGlobal();
  if (deno) {
    try {
      return deno.env.get(name);
    } catch (error) {
      throw new Error(`Reading ${name} failed: run Deno with --allow-env=${name}`, {
        cause: error,
      });
    }
  }

  const bun = bunGlobal();
  if (bun) return bun.env[name];

  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return process?.env?.[name];
}
