// Design: `--daemon`. Node cannot fork, so daemonising is starting the same command again as a
// detached process (its own session, no controlling terminal) with stdio on /dev/null, or kept
// with --enable-stdio-inheritance, and exiting. NARWHAL_DAEMON marks the copy, which serves.

import { spawn } from 'node:child_process';

const DAEMON_ENV = 'NARWHAL_DAEMON';

/** True in the background copy (and removes the mark, so that a USR2 successor stays in the background without detaching again). */
export function isDaemonCopy(env: NodeJS.ProcessEnv): boolean {
  const copy = env[DAEMON_ENV] === '1';
  delete env[DAEMON_ENV];
  return copy;
}

/** Starts the background copy; the caller exits 0. */
export function daemonize(keepStdio: boolean, cwd: string): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd,
    env: { ...process.env, [DAEMON_ENV]: '1' },
    detached: true,
    stdio: keepStdio ? ['ignore', 'inherit', 'inherit'] : 'ignore',
  });
  child.unref();
}
