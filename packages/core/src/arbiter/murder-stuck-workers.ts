// Design: Gunicorn's murder_workers, plus a boot deadline Gunicorn lacks. A booted worker whose
// heartbeat is older than `timeout` gets SIGABRT (its workerAbort hook runs if its loop still
// turns) and SIGKILL a grace period later; the request line it was serving, when it recorded
// one, goes into the log. A worker not ready `timeout` seconds after its spawn is killed as a
// boot failure. A worker told to stop that outlives `graceful_timeout` is killed too.

import type { Logger } from '../log/create-logger.js';
import { monotonicSeconds, readBusyLabel, secondsSinceBeat } from '../worker/heartbeat.js';
import type { WorkerRecord } from './worker-record.js';

/** Seconds between SIGABRT and SIGKILL. */
const ABORT_GRACE = 1;

export function murderStuckWorkers(workers: Iterable<WorkerRecord>, settings: { timeout: number; gracefulTimeout: number }, log: Logger): void {
  const now = monotonicSeconds();
  for (const worker of workers) {
    if (worker.killed) continue;
    if (worker.abortedAt !== null) {
      if (now - worker.abortedAt >= ABORT_GRACE) kill(worker);
    } else if (worker.stopSentAt !== null) {
      if (now - worker.stopSentAt > settings.gracefulTimeout + ABORT_GRACE) kill(worker);
    } else if (settings.timeout > 0 && !worker.booted) {
      if (now - worker.spawnedAt > settings.timeout) {
        log.critical(`WORKER BOOT TIMEOUT (pid:${worker.pid}): not ready after ${settings.timeout}s`);
        worker.bootTimedOut = true;
        kill(worker);
      }
    } else if (settings.timeout > 0 && secondsSinceBeat(worker.heartbeatFd) > settings.timeout) {
      const label = readBusyLabel(worker.heartbeatFd);
      log.critical(`WORKER TIMEOUT (pid:${worker.pid})${label ? ` serving "${label}"` : ''}`);
      worker.abortedAt = now;
      signal(worker, 'SIGABRT');
    }
  }
}

function kill(worker: WorkerRecord): void {
  worker.killed = true;
  signal(worker, 'SIGKILL');
}

export function signal(worker: WorkerRecord, name: NodeJS.Signals): void {
  try {
    worker.child.kill(name);
  } catch {
    // it already exited; the exit event is on its way
  }
}
