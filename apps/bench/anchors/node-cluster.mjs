/* The node:cluster anchor: a primary forks --workers copies of the bare node:http server, and
   cluster shares the port (round-robin from the primary, Node's default on Linux). */
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scenario: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string' } } });
cluster.setupPrimary({
  exec: fileURLToPath(new URL('node-http-server.mjs', import.meta.url)),
  args: ['--scenario', String(values.scenario), '--port', String(values.port)],
});
for (let index = 0; index < Number(values.workers); index++) cluster.fork();
