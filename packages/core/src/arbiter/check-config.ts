// Design: `--check-config` proves the whole chain without serving: the settings (already
// validated), the worker class, and the app, which is loaded in a short-lived worker process
// because the arbiter never runs app code. Nothing is bound.

import { dirname } from 'node:path';
import { locateApp } from '../app/locate-app.js';
import type { LoadedSettings } from '../config/load-settings.js';
import { WORKER_HOOK_KEYS } from '../config/settings.js';
import { NarwhalError } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import { closeHeartbeatFile } from '../worker/heartbeat.js';
import { isWorkerMessage } from '../worker/protocol.js';
import { resolveWorkerClass } from '../worker/resolve-worker-class.js';
import { plainSettings } from './arbiter.js';
import { checkProtocols } from './check-protocols.js';
import { checkTls } from './check-tls.js';
import { checkWorkerTmpDir } from './check-worker-tmp-dir.js';
import { resolveWorkerIdentity } from './privileges.js';
import { spawnWorker } from './spawn-worker.js';

export async function checkConfig(loaded: LoadedSettings, log: Logger): Promise<void> {
  const { settings } = loaded;
  if (settings.app === null) throw new NarwhalError('NARWHAL_E_USAGE', 'no APP given; run `narwhal [OPTIONS] MODULE[:EXPORT]`');
  checkWorkerTmpDir(settings.workerTmpDir);
  const identity = resolveWorkerIdentity(settings);
  const located = await locateApp(settings.app, settings.chdir);
  const resolved = await resolveWorkerClass(settings.workerClass, { appDir: dirname(located.file), cwd: settings.chdir });
  if (resolved.versionWarning !== null) log.warning(resolved.versionWarning);
  resolved.workerClass.checkConfig?.(plainSettings(settings), log);
  await checkTls(settings, resolved.workerClass);
  checkProtocols(settings, resolved.workerClass);
  const { child, heartbeatFd } = spawnWorker({
    age: 0,
    settings: plainSettings(settings),
    listeners: [],
    workerClass: resolved.location,
    hooksFrom: loaded.configFile,
    hookNames: WORKER_HOOK_KEYS.filter((key) => loaded.sources[key] === 'config file'),
    checkOnly: true,
    identity,
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
