// Design: a class that cannot carry an app's WebSockets refuses the app at boot with one line,
// rather than serve it with its WebSockets silently broken.

import type { App } from '../app/app.js';
import { NarwhalError } from '../errors.js';
import type { WorkerClass } from '../worker/contract.js';

/** Throws NARWHAL_E_WEBSOCKET when `app` needs an upgrade `workerClass` does not carry. */
export function refuseUncarriedUpgrades(app: App, workerClass: WorkerClass): void {
  const needs = app.interface === 'fetch' ? (app.websocket === undefined ? undefined : 'fetch') : app.upgradeServer === undefined ? undefined : 'node';
  if (needs === undefined || workerClass.upgrades?.includes(needs)) return;
  const what = needs === 'fetch' ? 'a websocket handler' : "upgrade listeners on its http.Server (ws, Socket.IO…)";
  const instead = needs === 'fetch' ? '-k async or -k uws' : '-k async';
  throw new NarwhalError('NARWHAL_E_WEBSOCKET', `-k ${workerClass.name} cannot carry WebSockets and the app has ${what}; use ${instead}`);
}
