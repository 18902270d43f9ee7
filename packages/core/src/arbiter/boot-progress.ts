// Design: a slow start (many workers, a heavy app) shows its progress: each worker's ready line
// carries how many of the target serve, and the last one says how long the whole start took.
// Only the first start: later replacements (respawns, reloads, recycles) log their line plainly.

import type { Logger } from '../log/create-logger.js';

export class BootProgress {
  readonly #startedAt = performance.now();
  #over = false;

  /** Logs that a worker is ready, `ready` of `target` workers now serving. */
  workerReady(pid: number, ready: number, target: number, log: Logger): void {
    if (this.#over) {
      log.info(`Worker (pid:${pid}) ready`);
      return;
    }
    log.info(`Worker (pid:${pid}) ready (${ready}/${target})`);
    if (ready < target) return;
    this.#over = true;
    const took = Math.round(performance.now() - this.#startedAt);
    log.info(target === 1 ? `The worker is ready, ${took} ms after the start` : `All ${target} workers ready in ${took} ms`);
  }
}
