// Design: the arbiter proves the TLS settings once before any worker is spawned (at start, on
// HUP, for --check-config) by building secure contexts from them, so that a bad file is one
// line and a non-zero exit instead of a respawn loop of workers failing to boot.

import type { Settings } from '../config/types.js';
import { plainSettings } from './plain-settings.js';
import { secureOptions, tlsError } from '../tls/secure-options.js';
import type { WorkerClass } from '../worker/contract.js';

export async function checkTls(settings: Readonly<Settings>, workerClass: WorkerClass): Promise<void> {
  const options = await secureOptions(plainSettings(settings), settings.sslContext);
  if (options !== null && workerClass.tls !== true) throw tlsError(`--certfile ${settings.certfile}: -k ${workerClass.name} cannot serve TLS (its worker class does not declare \`tls: true\`); use -k sync, gthread, async or uws`);
}
