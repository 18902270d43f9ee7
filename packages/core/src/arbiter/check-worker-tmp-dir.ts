// Design: heartbeat files are created by the arbiter each time it spawns a worker. A directory
// that is missing or not writable must stop the server at startup with one line naming the
// setting, not fail every spawn in the arbiter loop; so startup (and --check-config) creates
// and removes one file there first, the way every spawn will.

import { NarwhalError } from '../errors.js';
import { closeHeartbeatFile, createHeartbeatFile, heartbeatDir } from '../worker/heartbeat.js';

const REASONS: Record<string, string> = {
  ENOENT: 'the directory does not exist',
  ENOTDIR: 'it is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** Why heartbeat files cannot be created in `dir`, as the one-line message, or undefined. */
export function heartbeatDirProblem(dir: string | null): string | undefined {
  try {
    closeHeartbeatFile(createHeartbeatFile(dir));
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return `--worker-tmp-dir ${heartbeatDir(dir)}: cannot create the workers' heartbeat files there (${REASONS[code] ?? code})`;
  }
}

/** Throws NARWHAL_E_SETTING when heartbeat files cannot be created where the settings say. */
export function checkWorkerTmpDir(dir: string | null): void {
  const problem = heartbeatDirProblem(dir);
  if (problem !== undefined) throw new NarwhalError('NARWHAL_E_SETTING', problem);
}
