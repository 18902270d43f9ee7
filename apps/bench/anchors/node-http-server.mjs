/* The bare node:http anchor: one process serving a scenario's Node listener with nothing in
   between. It listens on its own port (--port), or on a listening socket inherited as a file
   descriptor (--fd), which is how N processes share one socket with no master process
   (the harness binds it; reference/feasibility.md §1). node:cluster and PM2 run it too. */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

// Not strict: PM2 passes arguments of its own.
const { values } = parseArgs({ strict: false, options: { scenario: { type: 'string' }, port: { type: 'string' }, fd: { type: 'string' } } });
/** @type {import('../src/scenario.js').ScenarioModule} */
const scenario = await import(new URL(`../scenarios/${values.scenario}.mjs`, import.meta.url).href);

const server = createServer(scenario.node);
server.listen(values.fd === undefined ? { host: '127.0.0.1', port: Number(values.port), backlog: 2048 } : { fd: Number(values.fd), backlog: 2048 });
