// Design: the arbiter's side of the metrics, built only when `--statsd-host` or `--metrics-bind`
// is set. Workers report once a second (worker-stats.ts); each report is turned into Gunicorn's
// statsd lines at once, sent in as few datagrams as they fill, and added to the running totals
// Prometheus serves. On each tick of the arbiter's loop (about a second) the worker-count gauge,
// the backlog and the arbiter's own log counts go out the same way. prom-client is imported only here, and only
// with `--metrics-bind`, so an arbiter without it stays as light as before.

import { parseBindAddress, type BindAddress } from '../config/bind-address.js';
import type { Logger } from '../log/create-logger.js';
import type { WorkerStats } from '../worker/protocol.js';
import { listenerPort, readListenBacklog } from './listen-backlog.js';
import { LOG_LEVEL_NAMES } from './log-level-counts.js';
import { accumulate, emptySeries, type MetricsState, type WorkerSeries } from './metrics-state.js';
import { parseStatsdAddress } from './statsd-address.js';
import { StatsdLines } from './statsd-lines.js';
import { StatsdSender } from './statsd-sender.js';

/** How often an upgraded arbiter tries the metrics address its predecessor holds. */
const RETRY_MS = 1000;

export interface ArbiterMetricsSettings {
  readonly statsdHost: string | null;
  readonly statsdPrefix: string;
  readonly dogstatsdTags: string;
  readonly enableBacklogMetric: boolean;
  readonly metricsBind: string | null;
}

export interface ArbiterMetricsOptions {
  readonly log: Logger;
  /** True while at least one worker serves and the server is not stopping (/readyz). */
  readonly ready: () => boolean;
  /**
   * This arbiter replaces one that still runs (USR2), which holds the metrics address: take it
   * over once that one exits, instead of failing.
   */
  readonly upgrade: boolean;
  /** The arbiter's own log lines, counted by its logger (log-level-counts.ts); read and zeroed on each tick. */
  readonly arbiterLogLevels: Uint32Array;
}

/** The metrics listener, as metrics/prometheus.ts starts it. */
export interface MetricsListener {
  readonly url: string;
  close(): Promise<void>;
}

export class ArbiterMetrics implements MetricsState {
  readonly workers = new Map<number, WorkerSeries>();
  readonly restarts = new Map<string, { readonly reason: string; readonly workerClass: string; count: number }>();
  readonly logLevels = new Float64Array(LOG_LEVEL_NAMES.length);
  readonly #arbiterLogLevels: Uint32Array;
  readonly #log: Logger;
  backlog: number | null = null;
  readonly ready: () => boolean;
  readonly #statsd: StatsdLines | null;
  readonly #sender: StatsdSender | null;
  readonly #backlogPorts: Set<number> | null;
  #listener: MetricsListener | null = null;
  #retry: NodeJS.Timeout | undefined;
  #lastWorkerCount = -1;
  #readingBacklog = false;

  private constructor(settings: ArbiterMetricsSettings, options: ArbiterMetricsOptions) {
    this.ready = options.ready;
    this.#log = options.log;
    this.#arbiterLogLevels = options.arbiterLogLevels;
    this.#sender = settings.statsdHost === null ? null : new StatsdSender(parseStatsdAddress(settings.statsdHost), options.log);
    this.#statsd = this.#sender === null ? null : new StatsdLines(this.#sender, settings.statsdPrefix, settings.dogstatsdTags);
    this.#backlogPorts = settings.enableBacklogMetric ? new Set() : null;
  }

  /** The metrics, or null when neither statsd nor Prometheus is on; starts the metrics listener. Throws when it cannot bind. */
  static async start(settings: ArbiterMetricsSettings, options: ArbiterMetricsOptions): Promise<ArbiterMetrics | null> {
    if (settings.statsdHost === null && settings.metricsBind === null) return null;
    const metrics = new ArbiterMetrics(settings, options);
    if (settings.metricsBind !== null) {
      const address = parseBindAddress(settings.metricsBind);
      try {
        await metrics.#listen(address);
      } catch (error) {
        if (!options.upgrade || ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') throw error;
        options.log.info(`--metrics-bind ${address.text} is held by the arbiter this one replaces; metrics are served there once it exits`);
        metrics.#listenLater(address);
      }
    }
    return metrics;
  }

  async #listen(address: BindAddress): Promise<void> {
    const { startMetricsListener } = await import('./prometheus.js');
    this.#listener = await startMetricsListener(address, this, this.#log);
  }

  /** Tries the address once a second until the old arbiter lets it go. */
  #listenLater(address: BindAddress): void {
    let trying = false;
    this.#retry = setInterval(() => {
      if (trying) return;
      trying = true;
      this.#listen(address).then(
        () => {
          clearInterval(this.#retry);
          this.#log.info(`Serving metrics at: ${this.#listener!.url}/metrics (${process.pid})`);
        },
        () => (trying = false),
      );
    }, RETRY_MS);
    this.#retry.unref();
  }

  /** Where /metrics is served (`http://HOST:PORT`), or null without --metrics-bind. */
  get url(): string | null {
    return this.#listener?.url ?? null;
  }

  /** The listeners whose accept queues `gunicorn.backlog` sums (--enable-backlog-metric): their TCP ports. */
  watchBacklog(urls: readonly string[]): void {
    if (this.#backlogPorts === null) return;
    this.#backlogPorts.clear();
    for (const url of urls) {
      const port = listenerPort(url);
      if (port !== undefined) this.#backlogPorts.add(port);
    }
  }

  /** A worker's report: Gunicorn's statsd lines, and the running totals. */
  workerStats(pid: number, workerClass: string, alive: boolean, stats: WorkerStats): void {
    const statsd = this.#statsd;
    if (statsd !== null) {
      if (stats.requests > 0) statsd.increment('gunicorn.requests', stats.requests);
      for (let index = 0; index < stats.statuses.length; index += 2) statsd.increment(`gunicorn.request.status.${stats.statuses[index]}`, stats.statuses[index + 1]!);
      if (stats.timedOut > 0) statsd.increment('gunicorn.request.timed_out', stats.timedOut);
      if (stats.shed > 0) statsd.increment('gunicorn.request.shed', stats.shed);
      const rate = stats.requests === 0 ? 1 : stats.samples.length / stats.requests;
      for (const ms of stats.samples) statsd.timer('gunicorn.request.duration', ms, rate);
    }
    this.#countLogLevels(stats.logLevels);
    // A report's lines leave together, within the second they describe.
    statsd?.flush();
    // The last report of a worker that already exited still counts for statsd, not as a series.
    let series = this.workers.get(pid);
    if (series === undefined) {
      if (!alive) return;
      this.workers.set(pid, (series = emptySeries(pid, workerClass)));
    }
    accumulate(series, stats);
  }

  /** A worker exited; `reason` is the restart reason, or null when it was not replaced (shutdown, scale-down). */
  workerExited(pid: number, workerClass: string, reason: string | null): void {
    this.workers.delete(pid);
    if (reason === null) return;
    const key = `${reason}\0${workerClass}`;
    const entry = this.restarts.get(key);
    if (entry === undefined) this.restarts.set(key, { reason, workerClass, count: 1 });
    else entry.count++;
  }

  /** Once per arbiter tick: the worker-count gauge when it changed, the backlog, the arbiter's log counts; then send. */
  tick(workerCount: number): void {
    this.#countLogLevels(this.#arbiterLogLevels);
    this.#arbiterLogLevels.fill(0);
    const statsd = this.#statsd;
    if (statsd !== null && workerCount !== this.#lastWorkerCount) statsd.gauge('gunicorn.workers', workerCount);
    this.#lastWorkerCount = workerCount;
    if (this.#backlogPorts !== null && !this.#readingBacklog) {
      this.#readingBacklog = true;
      void readListenBacklog(this.#backlogPorts).then((backlog) => {
        this.#readingBacklog = false;
        this.backlog = backlog;
        // Sent with the next tick's datagram.
        if (backlog !== null) statsd?.histogram('gunicorn.backlog', backlog);
      });
    }
    statsd?.flush();
  }

  async close(): Promise<void> {
    clearInterval(this.#retry);
    this.#sender?.close();
    await this.#listener?.close();
  }

  /** Adds log-line counts (indexed as LOG_LEVEL_NAMES) to the totals and to statsd. */
  #countLogLevels(counts: ArrayLike<number>): void {
    for (let slot = 0; slot < LOG_LEVEL_NAMES.length; slot++) {
      const count = counts[slot]!;
      if (count === 0) continue;
      this.logLevels[slot]! += count;
      this.#statsd?.increment(`gunicorn.log.${LOG_LEVEL_NAMES[slot]}`, count);
    }
  }
}
