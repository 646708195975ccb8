import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Command and arguments for `spawn` or {@link startServerProcess}. */
export interface SpawnCommand {
  command: string;
  args: string[];
}

/**
 * Returns a command that runs a `package.json` script the way `pnpm run` would, with `sh`,
 * so `${PORT:-8080}` expands, but with the script's first word replaced by an absolute
 * binary path. The shell `exec`s the binary, so the process id belongs to the runtime
 * itself and not to a wrapper such as `node_modules/.bin/deno`, and a signal sent to that
 * pid reaches the runtime.
 *
 * @example
 * const { command, args } = packageScript(appDir, 'start', { deno: denoBinary() });
 * const server = await startServerProcess({ command, args, cwd: appDir });
 */
export function packageScript(
  packageDir: string,
  scriptName: string,
  binaries: Record<string, string>,
): SpawnCommand {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = manifest.scripts?.[scriptName];
  if (!script) throw new Error(`${packageDir}/package.json has no "${scriptName}" script`);

  const [program = '', ...rest] = script.split(' ');
  const binary = binaries[program];
  if (!binary) {
    throw new Error(
      `The "${scriptName}" script starts with "${program}", which has no binary given`,
    );
  }
  return { command: 'sh', args: ['-c', `exec ${[quote(binary), ...rest].join(' ')}`] };
}

function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
