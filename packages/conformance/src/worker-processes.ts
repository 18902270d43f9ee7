// Design: the fault suites judge processes, not log lines alone: which workers an arbiter has
// alive right now (its children in /proc, zombies excluded, since a worker the arbiter has not
// reaped yet is dead), how much CPU a process burned (utime + stime in /proc/PID/stat, to
// tell a worker that spins from one that waits), and when a killed process is really gone
// (reaped: only then are all its sockets closed).
// Linux only, as the descriptor-limit and reuseport behaviour the suites test.

import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly state: string;
  readonly ppid: number;
  /** utime + stime, in seconds. */
  readonly cpuSeconds: number;
}

/** Fields of /proc/PID/stat, or undefined once the process is gone. */
function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND };
}

/** The pids of `parent`'s live children (zombies excluded), ascending. */
export function liveChildren(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined && stat.ppid === parent && stat.state !== 'Z' && stat.state !== 'X') pids.push(Number(entry));
  }
  return pids.sort((a, b) => a - b);
}

/** CPU seconds (user + system) a process has used so far, or undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  return procStat(pid)?.cpuSeconds;
}

/** Whether the process exists and has not exited (a zombie has exited). */
export function isRunning(pid: number): boolean {
  const state = procStat(pid)?.state;
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/**
 * Resolves with performance.now() once `pid` is reaped by its parent (polls every 2 ms, up to
 * `timeoutMs`). Not when it turns zombie: a multi-threaded process's main thread shows 'Z' while
 * its other threads still exit, and its sockets close only with the last of them, which is
 * also when its parent can reap it.
 */
export async function reapedAt(pid: number, timeoutMs = 2000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (procStat(pid) !== undefined && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  return performance.now();
}

/** The log lines of workers that ended other than by being retired: an exit, a signal, a timeout, an uncaught exception. */
export function workerExitLines(output: string): string[] {
  return output.split('\n').filter((line) => /Worker \(pid:\d+\) (exited|was (sent|killed))|Worker exiting \(pid|WORKER TIMEOUT|Uncaught exception in worker/.test(line));
}
