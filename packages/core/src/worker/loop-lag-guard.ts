// Design: --max-loop-lag. A timer that asks to run every SAMPLE_MS measures how late it runs:
// that lateness is the event loop's lag, read ~50 times a second whatever the request rate, never
// per request. Past the limit the worker sheds: a class answers each new request 503 with
// Retry-After (core's `retryLater`) instead of handing it to the app, until no sample has been
// over the limit for RECOVERY_MS, so an app that blocks its loop again and again does not flap
// between the two states, and the error log gets one line when shedding starts and one when it
// stops. It starts at the second episode of lag over the limit within RECOVERY_MS, or when one
// episode lasts LONG_EPISODE_MS: a single short one is a hiccup (a garbage collection, the stall
// watchdog's thread booting on the first connection, measured at up to 160 ms on -k uws; the
// first requests compiling a gthread thread's code, up to 70 ms), over by the time it is seen. A class whose app runs on other event loops (gthread's threads) adds their lag with
// `watch`.

import type { Logger } from '../log/create-logger.js';

const SAMPLE_MS = 20;
/** Shedding stops once the lag stayed under the limit this long. */
const RECOVERY_MS = 1000;
/** A loop (a thread's) seen late without a break this long is overloaded, not hiccuping. */
const LONG_EPISODE_MS = 500;

export class LoopLagGuard {
  /** True while new requests are to be answered 503. */
  shedding = false;
  readonly #limitMs: number;
  readonly #log: Logger;
  #expected = performance.now() + SAMPLE_MS;
  #lastOverAt = -Infinity;
  /** When the current run of late samples began; -Infinity when the last sample was on time. */
  #lateSince = -Infinity;
  #worstMs = 0;
  #other: (() => number) | undefined;

  constructor(limitMs: number, log: Logger) {
    this.#limitMs = limitMs;
    this.#log = log;
    // Unref'd: it ends with the process, so nothing needs to stop it.
    setInterval(this.#sample, SAMPLE_MS).unref();
  }

  /** Also counts the lag `read` reports in milliseconds (the event loops where the app runs, when not this one). */
  watch(read: () => number): void {
    this.#other = read;
  }

  #sample = (): void => {
    const now = performance.now();
    const lagMs = Math.max(now - this.#expected, this.#other?.() ?? 0);
    this.#expected = now + SAMPLE_MS;
    if (lagMs <= this.#limitMs) {
      this.#lateSince = -Infinity;
      if (this.shedding && now - this.#lastOverAt >= RECOVERY_MS) {
        this.shedding = false;
        this.#log.warning(`Event loop lag back under --max-loop-lag ${this.#limitMs} ms (worst ${Math.round(this.#worstMs)} ms): serving new requests again (pid:${process.pid})`);
      }
      return;
    }
    // An episode is a run of late samples: one for a blocked main loop (seen once it is free), as
    // many as it lasts for a stuck thread (seen while it is stuck).
    const again = this.#lateSince === -Infinity && now - this.#lastOverAt < RECOVERY_MS;
    if (this.#lateSince === -Infinity) this.#lateSince = now;
    this.#lastOverAt = now;
    if (this.shedding) {
      this.#worstMs = Math.max(this.#worstMs, lagMs);
      return;
    }
    if (again || now - this.#lateSince >= LONG_EPISODE_MS) {
      this.shedding = true;
      this.#worstMs = lagMs;
      this.#log.warning(`Event loop lag ${Math.round(lagMs)} ms over --max-loop-lag ${this.#limitMs} ms: answering new requests 503 (pid:${process.pid})`);
    }
  };
}
