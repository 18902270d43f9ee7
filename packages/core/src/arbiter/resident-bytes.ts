// A worker's resident memory as the kernel counts it, read by the arbiter from /proc (Linux):
// for --max-worker-memory, and for `narwhal status` when a worker is too busy to say.

import { readFile } from 'node:fs/promises';

/** A process's resident set size in bytes (VmRSS), or null once it is gone (or off Linux). */
export async function residentBytes(pid: number): Promise<number | null> {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}
