/* The Fetch anchor: one process serving a scenario's Fetch handler with @hono/node-server, the
   adapter Hono users put between node:http and `app.fetch`. node-cluster.mjs runs N of them. */
import { serve } from '@hono/node-server';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scenario: { type: 'string' }, port: { type: 'string' } } });
/** @type {import('../src/scenario.js').ScenarioModule} */
const scenario = await import(new URL(`../scenarios/${values.scenario}.mjs`, import.meta.url).href);

serve({ fetch: scenario.fetch, hostname: '127.0.0.1', port: Number(values.port) });
