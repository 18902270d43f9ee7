// Design: what is checked before anything is bound or spawned, at start, on HUP and for
// --check-config, in one place: an app is given and exists, the worker tmp dir and the worker
// identity are usable, the worker class resolves and accepts the settings, and TLS and the
// protocols fit the class.

import { dirname } from 'node:path';
import { locateApp } from '../app/locate-app.js';
import type { Settings } from '../config/types.js';
import { NarwhalError } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import { resolveWorkerClass, type ResolvedWorkerClass } from '../worker/resolve-worker-class.js';
import { checkProtocols } from './check-protocols.js';
import { checkTls } from './check-tls.js';
import { checkWorkerTmpDir } from './check-worker-tmp-dir.js';
import { plainSettings } from './plain-settings.js';
import { resolveWorkerIdentity, type WorkerIdentity } from './privileges.js';

export interface PreparedServing {
  readonly resolved: ResolvedWorkerClass;
  readonly identity: WorkerIdentity | null;
}

/** Throws a NarwhalError naming the setting when something does not fit. */
export async function prepareServing(settings: Settings, log: Logger): Promise<PreparedServing> {
  if (settings.app === null) throw new NarwhalError('NARWHAL_E_USAGE', 'no APP given; run `narwhal [OPTIONS] MODULE[:EXPORT]`');
  checkWorkerTmpDir(settings.workerTmpDir);
  const identity = resolveWorkerIdentity(settings);
  const located = await locateApp(settings.app, settings.chdir);
  const resolved = await resolveWorkerClass(settings.workerClass, { appDir: dirname(located.file), cwd: settings.chdir });
  if (resolved.versionWarning !== null) log.warning(resolved.versionWarning);
  resolved.workerClass.checkConfig?.(plainSettings(settings), log);
  await checkTls(settings, resolved.workerClass);
  checkProtocols(settings, resolved.workerClass);
  return { resolved, identity };
}
