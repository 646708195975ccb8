import { fileURLToPath } from 'node:url';
import { defineExampleSmokeTests } from '@captask/runtime-tests/example-smoke';
import { bunBinary } from '@captask/runtime-tests/runtimes';

defineExampleSmokeTests({
  name: 'bun example',
  appDir: fileURLToPath(new URL('..', import.meta.url)),
  runtime: { bun: bunBinary() },
});
