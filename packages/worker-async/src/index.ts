// Design: Gunicorn's async workers, for Node: one event loop serves many connections at once,
// up to --worker-connections; beyond that the worker stops accepting and new connections wait
// in the kernel queue for a sibling. Everything HTTP (limits, keep-alive, errors, the access
// log, draining on stop) is core's NodeHttpService, shared with the sync and gthread classes.
// Upgrades: a Node app's own http.Server gets them on its `upgrade` listeners (ws, Socket.IO);
// a Fetch app's `websocket` handler runs over `ws` (fetch-websockets.ts).

import { appServerUpgrades, defineWorkerClass, LLHTTP_REFUSALS, NodeHttpService, refuseParserLeniency, type NodeUpgrades, type WorkerContext } from '@narwhal/core/worker';
import { fetchWebSockets } from './fetch-websockets.js';

/** `-k async`: node:http on the inherited sockets, both app contracts, keep-alive, WebSockets. */
export const AsyncWorker = defineWorkerClass({
  name: 'async',
  tls: true,
  nativeInterface: 'node',
  upgrades: ['fetch', 'node'],
  checkConfig(settings) {
    refuseParserLeniency(settings, 'async', LLHTTP_REFUSALS);
  },
  async serve(context) {
    const service = new NodeHttpService(context, { maxConnections: context.settings.workerConnections, keepAlive: true, upgrades: await upgradesOf(context) });
    await service.start();
    return service;
  },
});

/** Who takes the app's upgrades, if it handles any. */
async function upgradesOf({ app, settings, log }: WorkerContext): Promise<NodeUpgrades | undefined> {
  if (app.interface === 'node') return app.upgradeServer === undefined ? undefined : appServerUpgrades(app.upgradeServer);
  return app.websocket === undefined ? undefined : fetchWebSockets(app.fetch, app.websocket, settings, log);
}

export default AsyncWorker;
