// Design: Gunicorn's async workers, for Node: one event loop serves many connections at once,
// up to --worker-connections; beyond that the worker stops accepting and new connections wait
// in the kernel queue for a sibling. Everything HTTP (limits, keep-alive, errors, the access
// log, draining on stop) is core's NodeHttpService, shared with the sync and gthread classes;
// of the three, only this one serves HTTP/2, whose streams share one connection.
// Upgrades: a Node app's own http.Server gets them on its `upgrade` listeners (ws, Socket.IO);
// a Fetch app's `websocket` handler runs over `ws` (fetch-websockets.ts).

import { defineWorkerClass, LLHTTP_REFUSALS, refuseParserLeniency } from '@narwhal/core/worker-class';

/** `-k async`: node:http on the inherited sockets, both app contracts, keep-alive, WebSockets. */
export const AsyncWorker = defineWorkerClass({
  name: 'async',
  tls: true,
  http2: true,
  proxyProtocol: true,
  nativeInterface: 'node',
  upgrades: ['fetch', 'node'],
  checkConfig(settings) {
    refuseParserLeniency(settings, 'async', LLHTTP_REFUSALS);
  },
  async serve(context) {
    // The arbiter imports this module to check the class; only a serving worker loads node:http's machinery.
    const { serveAsync } = await import('./serve-async.js');
    return serveAsync(context);
  },
});

export default AsyncWorker;
