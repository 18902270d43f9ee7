// Design: `--check-config` proves the whole chain without serving: the settings (already
// validated), the worker class, and the app, which is loaded in a short-lived worker process
// because the arbiter never runs app code. Nothing is bound.

import type { LoadedSettings } from '../config/load-settings.js';
import { WORKER_HOOK_KEYS } from '../config/settings.js';
import { NarwhalError } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import { closeHeartbeatFile } from '../worker/heartbeat.js';
import { isWorkerMessage } from '../worker/protocol.js';
import { plainSettings } from './plain-settings.js';
import { prepareServing } from './prepare-serving.js';
import { spawnWorker } from './spawn-worker.js';

export async function checkConfig(loaded: LoadedSettings, log: Logger): Promise<void> {
  const { settings } = loaded;
  const { resolved, identity } = await prepareServing(settings, log);
  const { child, heartbeatFd } = spawnWorker({
    age: 0,
    settings: plainSettings(settings),
    listeners: [],
    workerClass: resolved,
    hooksFrom: loaded.configFile,
    hookNames: WORKER_HOOK_KEYS.filter((key) => loaded.sources[key] === 'config file'),
    checkOnly: true,
    identity,
    board: null,
  });
  let failure: NarwhalError | null = null;
  child.on('message', (message) => {
    if (isWorkerMessage(message) && message.type === 'bootError') failure = new NarwhalError(message.code, message.message);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  closeHeartbeatFile(heartbeatFd);
  if (failure !== null) throw failure;
  if (code !== 0) throw new NarwhalError('NARWHAL_E_WORKER_BOOT', `the check worker exited with code ${code}`);
}
