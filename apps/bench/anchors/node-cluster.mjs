/* The node:cluster anchors: a primary forks --workers copies of a bare server, and cluster
   shares the port (round-robin from the primary, Node's default on Linux). `--server node`
   serves the scenario's Node listener on node:http; `--server hono` serves its Fetch handler
   through @hono/node-server, what a Hono user runs without Narwhal; `--server pool` hands every
   request to a piscina pool of --threads threads in each worker (pool-server.mjs), as -k gthread
   does. With --cert and --key, node:https (the TLS workloads); --close closes every connection
   after its response; --http2 serves h2c on node:http2 (the HTTP/2 workloads). */
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scenario: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string' }, server: { type: 'string', default: 'node' }, cert: { type: 'string' }, key: { type: 'string' }, close: { type: 'boolean' }, http2: { type: 'boolean' }, threads: { type: 'string' } } });
const servers = { node: 'node-http-server.mjs', hono: 'hono-node-server.mjs', pool: 'pool-server.mjs' };
cluster.setupPrimary({
  exec: fileURLToPath(new URL(servers[values.server], import.meta.url)),
  args: ['--scenario', String(values.scenario), '--port', String(values.port), ...(values.cert ? ['--cert', values.cert, '--key', String(values.key)] : []), ...(values.close ? ['--close'] : []), ...(values.http2 ? ['--http2'] : []), ...(values.threads ? ['--threads', values.threads] : [])],
});
for (let index = 0; index < Number(values.workers); index++) cluster.fork();
