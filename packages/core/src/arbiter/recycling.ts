// Design: one policy for every reason to replace a healthy worker: it served --max-requests (the
// worker says so), its RSS stayed above --max-worker-memory for --max-worker-memory-period (the
// arbiter reads /proc/PID/status itself about once a second: no message, no metrics needed), or
// it outlived --max-worker-lifetime plus its own jitter. A due worker is only marked (`retire`);
// manageWorkers then spawns its replacement and stops it once the replacement serves, as for a
// reload. At most --max-concurrent-recycles are in progress, from the mark to the old worker's
// exit: a worker due meanwhile keeps serving and waits its turn, the longest waiting first, so
// that a leak all the workers share, or workers started together, never replace them all at once.

import type { Settings } from '../config/types.js';
import type { Logger } from '../log/create-logger.js';
import { monotonicSeconds } from '../worker/heartbeat.js';
import type { RecycleReason, RetireReason } from './exit-reasons.js';
import { residentBytes } from './resident-bytes.js';
import type { WorkerRecord } from './worker-record.js';

const MIB = 1024 * 1024;
/** Ticks come about once a second, and sooner when a worker's message wakes the loop: those do not sample RSS again. */
const SAMPLE_INTERVAL = 0.9;
const RECYCLE_REASONS: readonly RetireReason[] = ['maxRequests', 'memory', 'lifetime'] satisfies RecycleReason[];

type RecycleSettings = Pick<Settings, 'maxRequests' | 'maxRequestsJitter' | 'maxWorkerMemory' | 'maxWorkerMemoryPeriod' | 'maxWorkerLifetime' | 'maxWorkerLifetimeJitter' | 'maxConcurrentRecycles'>;

/** What the policy knows of one worker. */
interface Watch {
  /** Its share (0 to 1) of --max-worker-lifetime-jitter, drawn once. */
  readonly jitterShare: number;
  /** Monotonic seconds of the first of the samples in a row above the memory limit. */
  overSince: number | null;
  /** Once due, a worker stays due until its turn comes. */
  due: { readonly reason: RecycleReason; readonly since: number; readonly figure: string } | null;
}

export class Recycling {
  readonly #settings: () => RecycleSettings;
  readonly #log: () => Logger;
  /** By record, not pid: a pid the kernel reuses is another worker. */
  readonly #watches = new WeakMap<WorkerRecord, Watch>();
  #lastSample = -Infinity;
  #saidNoProc = false;

  /** Takes getters: a HUP replaces the settings and may replace the logger. */
  constructor(settings: () => RecycleSettings, log: () => Logger) {
    this.#settings = settings;
    this.#log = log;
  }

  /** The worker served its --max-requests (plus jitter); it is recycled in its turn. */
  requestsServed(worker: WorkerRecord, requests: number): void {
    const { maxRequests, maxRequestsJitter } = this.#settings();
    this.#markDue(worker, 'maxRequests', `served ${requests} requests, --max-requests ${maxRequests}${maxRequestsJitter > 0 ? ` (jitter ${maxRequestsJitter})` : ''}`, monotonicSeconds());
  }

  /** Once per tick while the server runs: finds the workers due and starts as many recycles as may run now. */
  async check(workers: ReadonlyMap<number, WorkerRecord>): Promise<void> {
    const now = monotonicSeconds();
    this.#checkLifetimes(recyclable(workers), now);
    if (now - this.#lastSample >= SAMPLE_INTERVAL) {
      this.#lastSample = now;
      await this.#checkMemory(recyclable(workers), now);
    }
    // Read again: a worker may have exited or been stopped while /proc was read.
    this.#startDue(workers, recyclable(workers), monotonicSeconds());
  }

  #checkLifetimes(candidates: readonly WorkerRecord[], now: number): void {
    const { maxWorkerLifetime: lifetime, maxWorkerLifetimeJitter: jitter } = this.#settings();
    if (lifetime === 0) return;
    for (const worker of candidates) {
      const own = lifetime + this.#watch(worker).jitterShare * jitter;
      const up = now - worker.spawnedAt;
      if (up >= own) this.#markDue(worker, 'lifetime', `up ${up.toFixed(1)} s, past --max-worker-lifetime ${lifetime}${jitter > 0 ? ` (+ ${(own - lifetime).toFixed(1)} s of jitter)` : ''}`, now);
    }
  }

  async #checkMemory(candidates: readonly WorkerRecord[], now: number): Promise<void> {
    const { maxWorkerMemory: limit, maxWorkerMemoryPeriod: period } = this.#settings();
    if (limit === 0) return;
    if (process.platform !== 'linux') {
      if (!this.#saidNoProc) this.#log().warning(`--max-worker-memory is ignored: it reads each worker's RSS from /proc, which ${process.platform} lacks`);
      this.#saidNoProc = true;
      return;
    }
    await Promise.all(
      candidates.map(async (worker) => {
        const rss = await residentBytes(worker.pid);
        const watch = this.#watch(worker);
        if (rss === null || rss <= limit * MIB) {
          watch.overSince = null;
          return;
        }
        watch.overSince ??= now;
        const over = now - watch.overSince;
        if (over >= period) this.#markDue(worker, 'memory', `RSS ${Math.round(rss / MIB)} MiB above --max-worker-memory ${limit} for ${Math.round(over)} s`, now);
      }),
    );
  }

  /** Marks the due workers for replacement, the longest waiting first, while fewer than the limit are in progress. */
  #startDue(workers: ReadonlyMap<number, WorkerRecord>, candidates: readonly WorkerRecord[], now: number): void {
    let inProgress = 0;
    for (const worker of workers.values()) if (worker.retire !== null && RECYCLE_REASONS.includes(worker.retire)) inProgress++;
    const dueOf = (worker: WorkerRecord): Watch['due'] => this.#watches.get(worker)?.due ?? null;
    const due = candidates.filter((worker) => dueOf(worker) !== null).sort((a, b) => dueOf(a)!.since - dueOf(b)!.since);
    for (const worker of due) {
      if (inProgress >= this.#settings().maxConcurrentRecycles) return;
      const { reason, since, figure } = dueOf(worker)!;
      worker.retire = reason;
      inProgress++;
      const waited = now - since;
      this.#log().info(`Worker (pid:${worker.pid}) recycled: ${figure}${waited >= 0.1 ? `; waited ${waited.toFixed(1)} s for its turn` : ''}`);
    }
  }

  #markDue(worker: WorkerRecord, reason: RecycleReason, figure: string, now: number): void {
    this.#watch(worker).due ??= { reason, since: now, figure };
  }

  #watch(worker: WorkerRecord): Watch {
    let watch = this.#watches.get(worker);
    if (watch === undefined) this.#watches.set(worker, (watch = { jitterShare: Math.random(), overSince: null, due: null }));
    return watch;
  }
}

/** Workers that serve and are not on their way out: the only ones a recycle may pick. */
function recyclable(workers: ReadonlyMap<number, WorkerRecord>): WorkerRecord[] {
  return [...workers.values()].filter((worker) => worker.booted && worker.retire === null && worker.stopSentAt === null);
}
