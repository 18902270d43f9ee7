// Design: memory is reported for the whole process tree a target runs (arbiter + workers, PM2's
// daemon + instances, Gunicorn's master + workers), sampled from /proc while the load runs, so
// every server is charged for everything it needs.

import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function rssKiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Pids of `roots` and all their descendants. */
export function treePids(roots: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** RSS in MiB of each process in the tree, by pid. */
export function treeRss(roots: readonly number[]): Map<number, number> {
  return new Map(treePids(roots).map((pid) => [pid, rssKiB(pid) / 1024]));
}

/** Samples the tree's total RSS until stopped; resolves with the peak in MiB. */
export function samplePeakRss(roots: () => readonly number[], intervalMs = 200): { stop(): number } {
  let peak = 0;
  const sample = (): void => {
    let total = 0;
    for (const mib of treeRss(roots()).values()) total += mib;
    peak = Math.max(peak, total);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
