// Design: where was a worker's JavaScript stuck when the arbiter killed it for --timeout? A
// blocked event loop runs no signal handler (SIGABRT's workerAbort hook included), and Node's
// diagnostic report on a signal is written by a JavaScript handler too: only once the loop is
// free, with an empty JavaScript stack (measured on Node 20). What does work from outside the
// loop is the inspector: a watchdog worker_thread opens a session on the main thread
// (`connectToMainThread`), and `Debugger.pause` interrupts running JavaScript at its next stack
// check, which yields the call frames. So each worker starts this thread with its first
// connection (worker/main.ts says why not at boot); the main
// thread's heartbeat timer stamps a shared clock cell, and when the stamp is older than the
// timeout (the arbiter's own criterion, so the kill follows within about a second) the thread
// captures the stack and writes it to the error log (stall-watchdog-thread.ts). Cost at rest:
// one sleeping thread that wakes once a second (at most four times per timeout), measured in
// apps/docs/settings.md#timeout.

import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PlainSettings } from '../config/types.js';
import { monotonicSeconds } from './heartbeat.js';

const THREAD_ENTRY = fileURLToPath(new URL('./stall-watchdog-thread.js', import.meta.url));

/** What the watchdog thread receives. */
export interface WatchdogData {
  /** [0]: the main loop's last stamp, in monotonic milliseconds. */
  readonly stamp: Float64Array;
  /** A cell nobody writes: the thread sleeps on it with Atomics.wait between looks. */
  readonly sleep: Int32Array;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly log: Pick<PlainSettings, 'errorlog' | 'loglevel' | 'logFormat' | 'syslog' | 'syslogAddr' | 'syslogPrefix' | 'syslogFacility' | 'procName' | 'app'>;
}

/**
 * How often the thread looks at the stamp, at most. It takes the stack once the loop has been
 * blocked for the timeout less one look, so it is in the log before the arbiter's SIGKILL.
 */
const MAX_POLL_MS = 1000;

/** The heartbeat's clock (CLOCK_MONOTONIC), in milliseconds. */
export function monotonicMs(): number {
  return monotonicSeconds() * 1000;
}

export class StallWatchdog {
  readonly #stamp = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));

  /**
   * Starts the thread; `stamp()` must then be called more often than `timeout`. A thread that
   * cannot start or dies (no descriptor left to load its script, memory) calls `onFailure`: the
   * worker serves on without it.
   */
  constructor(settings: Pick<PlainSettings, 'timeout'> & WatchdogData['log'], onFailure: (error: Error) => void) {
    this.stamp();
    const data: WatchdogData = {
      stamp: this.#stamp,
      sleep: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)),
      timeoutMs: settings.timeout * 1000,
      pollMs: Math.min(MAX_POLL_MS, (settings.timeout * 1000) / 4),
      log: {
        errorlog: settings.errorlog,
        loglevel: settings.loglevel,
        logFormat: settings.logFormat,
        syslog: settings.syslog,
        syslogAddr: settings.syslogAddr,
        syslogPrefix: settings.syslogPrefix,
        syslogFacility: settings.syslogFacility,
        procName: settings.procName,
        app: settings.app,
      },
    };
    // No stdio of its own: it writes the error log itself, and must not hold the process open.
    const thread = new Worker(THREAD_ENTRY, { workerData: data, stdout: false, stderr: false, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    thread.on('error', onFailure);
    thread.unref();
  }

  /** The main loop is alive now. */
  stamp(): void {
    this.#stamp[0] = monotonicMs();
  }

  /** False when this Node has no inspector (built without it): no stack can be taken. */
  static get available(): boolean {
    return process.features.inspector;
  }
}
