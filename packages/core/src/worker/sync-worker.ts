// Design: Gunicorn's sync worker, for Node, and the default class. It ships in core, as
// Gunicorn's sync does, so that `npm i @narwhal/core` alone serves (@narwhal/worker-sync only
// re-exports it). A worker process runs one request at a time and closes its connection after
// the response; while a request runs, new connections wait in the kernel queue for an idle
// sibling (core's InheritedListeners pauses the accept by closing the fd-0 listener,
// reference/feasibility.md §2). Unlike Gunicorn's, a connection whose request
// head is still arriving holds nothing: the worker goes on accepting and serving others, and
// closes such a connection after --header-timeout, so slow clients cannot stop it.
// `timeout` is each request's deadline, as in Gunicorn: the heartbeat stops for the length of a
// request, so a handler that spins or awaits forever gets its worker killed and replaced by the
// arbiter, which logs the request line. A shorter --request-timeout answers 504 to an app that
// awaits (the loop is free to write it) and keeps the worker; an app that blocks the loop can
// only be stopped by the kill.

import { LLHTTP_REFUSALS, refuseParserLeniency } from '../http/parser-leniency.js';
import { defineWorkerClass } from './contract.js';

/** `-k sync`: one request at a time per process, `Connection: close`, `timeout` as request deadline. */
export const SyncWorker = defineWorkerClass({
  name: 'sync',
  tls: true,
  proxyProtocol: true,
  nativeInterface: 'node',
  // One request at a time: a connection per request leaves ~10% of the young generation alive at
  // each scavenge, which grows V8's default to 16 MiB; 4 served hello, json and Express as fast
  // and weighed 18-30 MiB less after load (deployment.md#what-a-worker-weighs).
  semiSpaceMiB: 4,
  checkConfig(settings, log) {
    refuseParserLeniency(settings, 'sync', LLHTTP_REFUSALS);
    if (settings.requestTimeout > 0 && settings.timeout > 0 && settings.requestTimeout >= settings.timeout) {
      log.warning(`--request-timeout ${settings.requestTimeout} is not shorter than --timeout ${settings.timeout}: on -k sync the heartbeat kills a worker whose request runs past --timeout first, so set --request-timeout below it`);
    }
  },
  async serve(context) {
    // Imported when a worker serves, so the arbiter, which only checks the class, never loads node:http's machinery.
    const { NodeHttpService } = await import('../http/node-http-service.js');
    const service = new NodeHttpService(context, { maxConnections: context.settings.workerConnections, oneAtATime: true, keepAlive: false, refusesWebSockets: true });
    await service.start();
    return service;
  },
});

