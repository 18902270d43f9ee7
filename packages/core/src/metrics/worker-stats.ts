// Design: a worker's metrics, gathered in plain typed arrays and sent to the arbiter as one IPC
// message a second, never one per request. A request costs a few increments: its status's
// counter, a histogram bucket, and a slot of a fixed reservoir of durations (Vitter's algorithm
// R, so the statsd timer gets an unbiased sample of up to SAMPLES durations a second, sent with
// its sample rate). The event loop's lag (perf_hooks' histogram) and utilisation, the heap and
// the RSS are read when the report is built.

import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { WorkerStats } from '../worker/protocol.js';
import { DURATION_BUCKETS_MS, type RequestMetrics } from './request-metrics.js';

/** Durations kept per report for the statsd timer. */
export const SAMPLES = 256;
const STATUS_SLOTS = 1000;
const LOOP_RESOLUTION_MS = 10;

/** Warning, error, critical and exception log lines, in that order (Gunicorn's `gunicorn.log.*`). */
export type LogLevelCounts = Uint32Array;

export class WorkerStatsCollector implements RequestMetrics {
  readonly enabled = true;
  readonly #statuses = new Uint32Array(STATUS_SLOTS);
  readonly #buckets = new Uint32Array(DURATION_BUCKETS_MS.length + 1);
  readonly #samples = new Float64Array(SAMPLES);
  #durationSumMs = 0;
  #finished = 0;
  #inFlight = 0;
  #timedOut = 0;
  #shed = 0;
  #readConnections: () => number = () => 0;
  readonly logLevels: LogLevelCounts = new Uint32Array(4);
  readonly #loopDelay: IntervalHistogram;
  #loopUse: EventLoopUtilization;

  constructor() {
    this.#loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.#loopDelay.enable();
    this.#loopUse = performance.eventLoopUtilization();
  }

  started(): void {
    this.#inFlight++;
  }

  finished(status: number, durationMs: number): void {
    this.#inFlight--;
    this.#statuses[status >= 0 && status < STATUS_SLOTS ? status : 0]!++;
    let bucket = 0;
    while (bucket < DURATION_BUCKETS_MS.length && durationMs > DURATION_BUCKETS_MS[bucket]!) bucket++;
    this.#buckets[bucket]!++;
    this.#durationSumMs += durationMs;
    const seen = this.#finished++;
    if (seen < SAMPLES) this.#samples[seen] = durationMs;
    else {
      const slot = Math.floor(Math.random() * (seen + 1));
      if (slot < SAMPLES) this.#samples[slot] = durationMs;
    }
  }

  /** Requests started and not finished, now (`narwhal status`). */
  get inFlight(): number {
    return this.#inFlight;
  }

  timedOut(): void {
    this.#timedOut++;
  }

  shed(): void {
    this.#shed++;
  }

  countConnections(read: () => number): void {
    this.#readConnections = read;
  }

  /** What happened since the last report, and the gauges now; the counters start again from zero. */
  report(): WorkerStats {
    const statuses: number[] = [];
    for (let code = 0; code < STATUS_SLOTS; code++) {
      if (this.#statuses[code] !== 0) statuses.push(code, this.#statuses[code]!);
    }
    const use = performance.eventLoopUtilization(this.#loopUse);
    this.#loopUse = performance.eventLoopUtilization();
    const delay = this.#loopDelay;
    // The histogram counts the timer's own resolution as delay; what is beyond it is lag.
    const lag = (ns: number): number => (Number.isFinite(ns) && delay.count > 0 ? Math.max(0, ns / 1e9 - LOOP_RESOLUTION_MS / 1000) : 0);
    const memory = process.memoryUsage();
    const stats: WorkerStats = {
      type: 'stats',
      requests: this.#finished,
      statuses,
      buckets: [...this.#buckets],
      durationSumMs: this.#durationSumMs,
      samples: [...this.#samples.subarray(0, Math.min(this.#finished, SAMPLES))],
      timedOut: this.#timedOut,
      shed: this.#shed,
      inFlight: this.#inFlight,
      connections: this.#readConnections(),
      loopLagMean: lag(delay.mean),
      loopLagP99: lag(delay.percentile(99)),
      loopLagMax: lag(delay.max),
      loopUtilization: use.utilization,
      heapUsed: memory.heapUsed,
      rss: memory.rss,
      logLevels: [...this.logLevels],
    };
    this.#statuses.fill(0);
    this.#buckets.fill(0);
    this.logLevels.fill(0);
    this.#durationSumMs = 0;
    this.#finished = 0;
    this.#timedOut = 0;
    this.#shed = 0;
    delay.reset();
    return stats;
  }

  close(): void {
    this.#loopDelay.disable();
  }
}
