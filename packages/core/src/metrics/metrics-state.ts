// Design: what the arbiter knows of its workers' metrics, accumulated from their reports: the
// figures Prometheus serves (metrics/prometheus.ts). Counters are totals since each worker
// started; a worker's series goes when it exits, as a process's do.

import type { WorkerStats } from '../worker/protocol.js';
import { DURATION_BUCKETS_MS } from './request-metrics.js';

export const STATUS_CLASSES = ['other', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** One worker's series. */
export interface WorkerSeries {
  readonly pid: number;
  readonly workerClass: string;
  /** Requests by status class, indexed as STATUS_CLASSES. */
  readonly requests: Float64Array;
  /** Requests per duration bucket, not cumulative, the last one +Inf. */
  readonly buckets: Float64Array;
  durationSumSeconds: number;
  /** Requests past --request-timeout, and requests shed by --max-loop-lag. */
  timedOut: number;
  shed: number;
  latest: WorkerStats | null;
}

/** Everything /metrics shows, and what /readyz asks. */
export interface MetricsState {
  readonly workers: ReadonlyMap<number, WorkerSeries>;
  /** Worker exits that the arbiter replaced, by reason and worker class. */
  readonly restarts: ReadonlyMap<string, { readonly reason: string; readonly workerClass: string; count: number }>;
  /** Warning, error, critical and exception log lines of the arbiter and its workers. */
  readonly logLevels: Float64Array;
  /** Connections waiting in the listeners' accept queues (--enable-backlog-metric), or null. */
  readonly backlog: number | null;
  /** True while at least one worker serves and the server is not stopping. */
  ready(): boolean;
}

export function emptySeries(pid: number, workerClass: string): WorkerSeries {
  return { pid, workerClass, requests: new Float64Array(STATUS_CLASSES.length), buckets: new Float64Array(DURATION_BUCKETS_MS.length + 1), durationSumSeconds: 0, timedOut: 0, shed: 0, latest: null };
}

/** Adds a report's counts to `series` and keeps its gauges. */
export function accumulate(series: WorkerSeries, stats: WorkerStats): void {
  for (let index = 0; index < stats.statuses.length; index += 2) {
    const status = stats.statuses[index]!;
    const statusClass = status >= 100 && status < 600 ? Math.floor(status / 100) : 0;
    series.requests[statusClass]! += stats.statuses[index + 1]!;
  }
  for (let bucket = 0; bucket < series.buckets.length; bucket++) series.buckets[bucket]! += stats.buckets[bucket] ?? 0;
  series.durationSumSeconds += stats.durationSumMs / 1000;
  series.timedOut += stats.timedOut;
  series.shed += stats.shed;
  series.latest = stats;
}
