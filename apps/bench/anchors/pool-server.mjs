/* The thread-pool anchor: what a Node user writes to run a handler on worker_threads without
   Narwhal. node:http (or node:https with --cert and --key) parses each request in the main
   thread and hands its head to a piscina pool of --threads threads (piscina's defaults), where
   pool-task.mjs runs the scenario's Fetch handler; the main thread writes the answer.
   node-cluster.mjs runs N of them, as -k gthread runs N workers. Bodiless requests only (hello). */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createSecureServer } from 'node:https';
import { parseArgs } from 'node:util';
import { Piscina } from 'piscina';

const { values } = parseArgs({ options: { scenario: { type: 'string' }, port: { type: 'string' }, threads: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' } } });
const threads = Number(values.threads);
const pool = new Piscina({ filename: new URL('pool-task.mjs', import.meta.url).href, minThreads: threads, maxThreads: threads, workerData: { scenario: values.scenario } });

async function listener(req, res) {
  try {
    const { status, headers, body } = await pool.run({ method: req.method, url: req.url, headers: req.rawHeaders });
    res.writeHead(status, headers);
    res.end(body);
  } catch {
    res.writeHead(500);
    res.end();
  }
}

const server = values.cert ? createSecureServer({ cert: readFileSync(String(values.cert)), key: readFileSync(String(values.key)) }, listener) : createServer(listener);
server.listen({ host: '127.0.0.1', port: Number(values.port), backlog: 2048 });
