import os from 'node:os';
import { bunBinary, denoBinary, versionOf } from './runtimes.mjs';

/** Describes the machine and runtimes for the RESULTS.md header. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    bun: versionOf(bunBinary),
    deno: versionOf(denoBinary),
  };
}
