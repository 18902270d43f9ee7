// Design: Gunicorn's pidfile. Refuse to start when it names a live process other than us;
// replace a stale one; remove it on exit only if it still holds our pid.

import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { NarwhalError } from '../errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function writePidfile(path: string): void {
  const existing = readPid(path);
  if (existing !== null && existing !== process.pid && isAlive(existing)) {
    throw new NarwhalError('NARWHAL_E_PIDFILE', `pid file ${path} names process ${existing}, which is still running`);
  }
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch (error) {
    throw new NarwhalError('NARWHAL_E_PIDFILE', `pid file ${path} cannot be written: ${(error as Error).message}`);
  }
}

export function removePidfile(path: string): void {
  if (readPid(path) !== process.pid) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * Moves our pid file (USR2: `pidfile` → `pidfile.oldbin` in the old arbiter, `pidfile.2` →
 * `pidfile` when the new one is promoted); nothing when `from` does not hold our pid.
 */
export function movePidfile(from: string, to: string): void {
  if (readPid(from) !== process.pid) return;
  try {
    renameSync(from, to);
  } catch {
    // gone: the next write recreates it
  }
}
