// Design: a process that runs out of file descriptors cannot accept, and libuv then sheds the
// queued connections with a reset (its "EMFILE trick"), while uWebSockets.js retries accept()
// in a busy loop. Both are avoided by never getting there: a worker stops accepting while its
// open connections come within DESCRIPTOR_RESERVE of the soft RLIMIT_NOFILE, so connections wait
// in the kernel queue for a sibling, or for descriptors to come free, and are never reset.

import { readFileSync } from 'node:fs';

/** Descriptors left for everything but client connections: the app's files and sockets, logs, pipes. */
export const DESCRIPTOR_RESERVE = 64;

/** The soft limit on open files, or Infinity where it cannot be read (not Linux) or is unlimited. */
export function openFileLimit(limits = '/proc/self/limits'): number {
  try {
    const line = readFileSync(limits, 'utf8').split('\n').find((text) => text.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return Infinity;
  }
}

/** The most client connections this process can hold while keeping the reserve. */
export function connectionCeiling(requested: number, limit = openFileLimit()): number {
  return Math.max(1, Math.min(requested, limit - DESCRIPTOR_RESERVE));
}
