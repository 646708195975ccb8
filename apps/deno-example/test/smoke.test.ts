import { fileURLToPath } from 'node:url';
import { defineExampleSmokeTests } from '@captask/runtime-tests/example-smoke';
import { denoBinary } from '@captask/runtime-tests/runtimes';

defineExampleSmokeTests({
  name: 'deno example',
  appDir: fileURLToPath(new URL('..', import.meta.url)),
  runtime: { deno: denoBinary() },
});
