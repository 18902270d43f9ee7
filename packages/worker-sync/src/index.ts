// Design: Gunicorn's sync worker, for Node. A worker process takes one connection, serves one
// request on it, closes it, and only then accepts again; while it is busy, new connections
// wait in the kernel queue for an idle sibling (core's InheritedListeners pauses the accept by
// closing the fd-0 listener, reference/feasibility.md §2). `timeout` is each request's deadline,
// as in Gunicorn: the heartbeat stops for the length of a request, so a handler that spins or
// awaits forever gets its worker killed and replaced by the arbiter, which logs the request line.

import { defineWorkerClass, NodeHttpService } from '@narwhal/core/worker';

/** `-k sync`: one request at a time per process, `Connection: close`, `timeout` as request deadline. */
export const SyncWorker = defineWorkerClass({
  name: 'sync',
  nativeInterface: 'node',
  async serve(context) {
    const service = new NodeHttpService(context, { maxConnections: 1, keepAlive: false, requestDeadline: true });
    await service.start();
    return service;
  },
});

export default SyncWorker;
