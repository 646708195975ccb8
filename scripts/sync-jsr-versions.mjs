// Copies each package's version from package.json into its jsr.json, so a changesets
// version bump keeps the JSR manifest in step. Run by `pnpm version-packages`.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = new URL('../packages/', import.meta.url).pathname;

for (const folder of readdirSync(packagesDir)) {
  const jsrPath = join(packagesDir, folder, 'jsr.json');
  if (!existsSync(jsrPath)) continue;
  const { version } = JSON.parse(readFileSync(join(packagesDir, folder, 'package.json'), 'utf8'));
  const jsr = JSON.parse(readFileSync(jsrPath, 'utf8'));
  if (jsr.version === version) continue;
  jsr.version = version;
  writeFileSync(jsrPath, `${JSON.stringify(jsr, null, 2)}\n`);
  console.log(`${jsr.name}: jsr.json version set to ${version}`);
}
