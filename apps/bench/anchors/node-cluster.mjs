/* The node:cluster anchors: a primary forks --workers copies of a bare server, and cluster
   shares the port (round-robin from the primary, Node's default on Linux). `--server node`
   serves the scenario's Node listener on node:http; `--server hono` serves its Fetch handler
   through @hono/node-server, what a Hono user runs without Narwhal. */
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scenario: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string' }, server: { type: 'string', default: 'node' } } });
const servers = { node: 'node-http-server.mjs', hono: 'hono-node-server.mjs' };
cluster.setupPrimary({
  exec: fileURLToPath(new URL(servers[values.server], import.meta.url)),
  args: ['--scenario', String(values.scenario), '--port', String(values.port)],
});
for (let index = 0; index < Number(values.workers); index++) cluster.fork();
