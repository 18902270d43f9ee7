// Design: a slow start (many workers, a heavy app) shows its progress: each worker's ready line
// carries how many of the target serve, and the last one says how long the whole start took.
// Only the first start, and only with several workers: later replacements (respawns, reloads,
// recycles) log their line plainly.

import type { Logger } from '../log/create-logger.js';

export class BootProgress {
  readonly #startedAt = performance.now();
  #over = false;

  /** Logs that a worker is ready, `ready` of `target` workers now serving. */
  workerReady(pid: number, ready: number, target: number, log: Logger): void {
    // One worker's ready line says it all.
    if (this.#over || target === 1) {
      this.#over = true;
      log.info(`Worker (pid:${pid}) ready`);
      return;
    }
    log.info(`Worker (pid:${pid}) ready (${ready}/${target})`);
    if (ready < target) return;
    this.#over = true;
    const took = Math.round(performance.now() - this.#startedAt);
    log.info(`All ${target} workers ready in ${took} ms`);
  }
}
