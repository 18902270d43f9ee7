// Design: what `show workers` and `narwhal status` say of each worker. The arbiter's own records
// give the pid, class, age, state and the heartbeat's age (the heartbeat file's mtime, as the
// timeout check reads it); the counts come from the worker itself, asked over IPC when a client
// asks and never otherwise, so serving costs nothing more than the max_requests counter it keeps
// anyway. A worker that does not answer within ASK_TIMEOUT_MS (one still loading a heavy app
// blocks its loop) is shown without counts, and its RSS is read from /proc by the arbiter.

import { monotonicSeconds, secondsSinceBeat } from '../worker/heartbeat.js';
import type { ArbiterToWorker, WorkerStatusReply } from '../worker/protocol.js';
import { residentBytes } from './resident-bytes.js';
import type { WorkerRecord } from './worker-record.js';

const ASK_TIMEOUT_MS = 500;

export type WorkerState = 'booting' | 'ready' | 'draining' | 'stopping';

/** One row of `narwhal status`; null where the worker did not say (or, for inFlight, metrics are off). */
export interface WorkerStatus {
  readonly pid: number;
  /** Gunicorn's age: the spawn order, 1 for the first worker. */
  readonly age: number;
  readonly workerClass: string;
  readonly state: WorkerState;
  /** Seconds since the spawn. */
  readonly uptime: number;
  /** Seconds since the last heartbeat. */
  readonly lastBeat: number;
  readonly requests: number | null;
  readonly inFlight: number | null;
  /** Resident memory in bytes. */
  readonly rss: number | null;
}

type Send = (worker: WorkerRecord, message: ArbiterToWorker) => void;

/** Questions to the workers waiting for their answers. */
export class WorkerStatusPoll {
  readonly #waiting = new Set<{ readonly replies: Map<number, WorkerStatusReply>; readonly pids: Set<number>; readonly done: () => void }>();

  /** Every worker's row, oldest first. */
  async describe(records: Iterable<WorkerRecord>, send: Send, serverDraining: boolean): Promise<WorkerStatus[]> {
    const workers = [...records].sort((a, b) => a.age - b.age);
    const replies = await this.#ask(workers, send);
    // A worker too busy to answer: its RSS from /proc, read without blocking the arbiter's loop.
    const rss = await Promise.all(workers.map((worker) => replies.get(worker.pid)?.rss ?? residentBytes(worker.pid)));
    return workers.map((worker, index) => describeWorker(worker, replies.get(worker.pid), serverDraining, rss[index]!));
  }

  /** Asks every worker for its counts; resolves with the answers that came in time. */
  async #ask(workers: readonly WorkerRecord[], send: Send): Promise<ReadonlyMap<number, WorkerStatusReply>> {
    const replies = new Map<number, WorkerStatusReply>();
    const pids = new Set(workers.filter((worker) => worker.child.connected).map((worker) => worker.pid));
    if (pids.size === 0) return replies;
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiting.delete(entry);
        resolve();
      };
      const entry = { replies, pids, done: finish };
      const timer = setTimeout(finish, ASK_TIMEOUT_MS);
      this.#waiting.add(entry);
      for (const worker of workers) if (pids.has(worker.pid)) send(worker, { type: 'status' });
    });
    return replies;
  }

  answer(pid: number, reply: WorkerStatusReply): void {
    for (const entry of this.#waiting) {
      if (!entry.pids.delete(pid)) continue;
      entry.replies.set(pid, reply);
      if (entry.pids.size === 0) entry.done();
    }
  }
}

function describeWorker(worker: WorkerRecord, reply: WorkerStatusReply | undefined, serverDraining: boolean, rss: number | null): WorkerStatus {
  const state: WorkerState = worker.stopSentAt !== null ? 'stopping' : !worker.booted ? 'booting' : serverDraining ? 'draining' : 'ready';
  return {
    pid: worker.pid,
    age: worker.age,
    workerClass: worker.className,
    state,
    uptime: round(monotonicSeconds() - worker.spawnedAt),
    lastBeat: round(secondsSinceBeat(worker.heartbeatFd)),
    requests: reply?.requests ?? null,
    inFlight: reply?.inFlight ?? null,
    rss,
  };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
