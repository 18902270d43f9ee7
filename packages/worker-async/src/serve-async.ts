// An async worker's serving half: core's NodeHttpService, and whoever takes the app's upgrades
// (the design is in index.ts).

import { appServerUpgrades, NodeHttpService, type NodeUpgrades, type WorkerContext, type WorkerHandle } from '@narwhal/core/worker';

/** Starts the service; resolves once it accepts. */
export async function serveAsync(context: WorkerContext): Promise<WorkerHandle> {
  const service = new NodeHttpService(context, { maxConnections: context.settings.workerConnections, keepAlive: true, upgrades: await upgradesOf(context) });
  await service.start();
  return service;
}

/** Who takes the app's upgrades, if it handles any; `ws` loads only for an app with a `websocket` handler. */
async function upgradesOf({ app, settings, log }: WorkerContext): Promise<NodeUpgrades | undefined> {
  if (app.interface === 'node') return app.upgradeServer === undefined ? undefined : appServerUpgrades(app.upgradeServer);
  if (app.websocket === undefined) return undefined;
  const { fetchWebSockets } = await import('./fetch-websockets.js');
  return fetchWebSockets(app.fetch, app.websocket, settings, log);
}
