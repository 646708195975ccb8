import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Creates an npm project in a new folder under `parent` and installs the tarballs into it
 * with npm, as a user of the published packages would. The tarballs are installed together,
 * so their dependencies on each other resolve to these tarballs; third-party dependencies
 * and peer dependencies come from the npm registry. Returns the project folder.
 */
export async function installTarballs(parent: string, tarballs: string[]): Promise<string> {
  const project = await mkdtemp(join(parent, 'consumer-'));
  const manifest = { name: 'captask-consumer', version: '0.0.0', private: true, type: 'module' };
  await writeFile(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const args = ['install', ...tarballs, '--no-audit', '--no-fund', '--prefer-offline'];
  args.push('--ignore-scripts', '--loglevel=error');
  await execFileAsync('npm', args, { cwd: project, timeout: 150_000 });
  return project;
}
