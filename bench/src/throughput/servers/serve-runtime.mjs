// Throughput server for Bun and Deno through @captask/serve, bundled by esbuild before it
// runs. The bare route is a handler of the same Bun.serve or Deno.serve server. Prints
// `listening <port>`.
import { serve } from '@captask/serve';
import { BARE_BODY, createBenchTaskServer } from './bench-task-server.mjs';

const taskServer = createBenchTaskServer();
const server = await serve({
  port: 0,
  hostname: '127.0.0.1',
  handler: (request) => {
    const path = new URL(request.url).pathname;
    if (path === '/bare') return Promise.resolve(Response.json(BARE_BODY));
    if (path === '/bare-parse') return request.json().then(() => Response.json(BARE_BODY));
    return taskServer(request);
  },
});
console.log(`listening ${server.port}`);
