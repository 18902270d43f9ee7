// Design: Gunicorn's gthread worker, for Node. Each worker process runs a pool (thread-pool.ts) of
// `--threads` worker_threads, each with its own copy of the app; the main thread keeps the
// connections (keep-alive, limits, the access log: core's NodeHttpService) and hands each request
// to the pool; each thread runs one request at a time (with the next one already delivered,
// task-slots.ts), so at most workers × threads requests run at once. Unlike Python's threads
// these run JavaScript in parallel. Requests waiting for a thread are bounded by
// --worker-connections, the cap on open connections: at the cap the worker stops accepting and
// new connections wait in the kernel queue for a sibling.

import { defineWorkerClass, LLHTTP_REFUSALS, refuseParserLeniency } from '@narwhal/core/worker-class';

/** `-k gthread`: a pool of `--threads` worker_threads per process, both app contracts. */
export const GthreadWorker = defineWorkerClass({
  name: 'gthread',
  tls: true,
  proxyProtocol: true,
  nativeInterface: 'fetch',
  checkConfig(settings) {
    // Requests are parsed by node:http in the main thread.
    refuseParserLeniency(settings, 'gthread', LLHTTP_REFUSALS);
  },
  async serve(context) {
    // Imported here: the arbiter imports this module to check the class and must not load the pool or node:http's machinery.
    const { servePool } = await import('./serve-pool.js');
    return servePool(context);
  },
});

export default GthreadWorker;
