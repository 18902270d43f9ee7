/* The bare node:http anchor: one process serving a scenario's Node listener with nothing in
   between. It listens on its own port (--port), or on a listening socket inherited as a file
   descriptor (--fd), which is how N processes share one socket with no master process
   (the harness binds it; reference/feasibility.md §1). node:cluster and PM2 run it too. With
   --cert and --key it is node:https, as a Node user serves TLS without Narwhal; with --close it
   closes every connection after its response, as Gunicorn's sync and Narwhal's do. With --http2
   it is node:http2's h2c server (cleartext, prior knowledge), as a Node user serves HTTP/2
   without Narwhal. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createSecureServer } from 'node:https';
import { parseArgs } from 'node:util';

// Not strict: PM2 passes arguments of its own.
const { values } = parseArgs({ strict: false, options: { scenario: { type: 'string' }, port: { type: 'string' }, fd: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, close: { type: 'boolean' }, http2: { type: 'boolean' } } });
/** @type {import('../src/scenario.js').ScenarioModule} */
const scenario = await import(new URL(`../scenarios/${values.scenario}.mjs`, import.meta.url).href);

const listener = values.close
  ? (req, res) => {
      res.shouldKeepAlive = false;
      return scenario.node(req, res);
    }
  : scenario.node;
const server = values.http2
  ? createHttp2Server(listener)
  : values.cert
    ? createSecureServer({ cert: readFileSync(String(values.cert)), key: readFileSync(String(values.key)) }, listener)
    : createServer(listener);
server.listen(values.fd === undefined ? { host: '127.0.0.1', port: Number(values.port), backlog: 2048 } : { fd: Number(values.fd), backlog: 2048 });
