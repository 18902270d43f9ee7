// Design: "the worker does not hold the body" is measured as the workers' resident memory while
// the body moves, sampled from /proc (or `ps` where there is no /proc), peak against baseline.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process's resident set size in bytes, or undefined when it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // no /proc: ask ps
  }
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` while sampling the RSS of `pids` every 50 ms; resolves with its result and the
 * largest growth of any one process over its RSS before the work began.
 */
export async function peakGrowthDuring<T>(pids: readonly number[], work: () => Promise<T>): Promise<{ result: T; growthBytes: number }> {
  const baseline = new Map(pids.map((pid) => [pid, residentBytes(pid) ?? 0]));
  let growthBytes = 0;
  const sample = (): void => {
    for (const [pid, before] of baseline) growthBytes = Math.max(growthBytes, (residentBytes(pid) ?? before) - before);
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return { result, growthBytes };
  } finally {
    clearInterval(timer);
  }
}
