// Design: `--metrics-bind`: the arbiter's own HTTP listener, apart from the app's, serving
// /metrics in the Prometheus text format (prom-client renders it), /healthz and /readyz. The
// figures are what the workers reported (metrics-state.ts), read at scrape time through
// prom-client's collect callbacks; the duration histogram's buckets are counted by the workers,
// so it is a Histogram whose get() returns them instead of observing values here.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describeBindAddress, type BindAddress } from '../config/bind-address.js';
import { NarwhalError } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import type { WorkerStats } from '../worker/protocol.js';
import type { MetricsListener } from './arbiter-metrics.js';
import { LOG_LEVEL_NAMES } from './log-level-counts.js';
import { STATUS_CLASSES, type MetricsState, type WorkerSeries } from './metrics-state.js';
import { DURATION_BUCKETS_MS } from './request-metrics.js';

type WorkerLabel = 'pid' | 'worker_class';
const WORKER_LABELS: WorkerLabel[] = ['pid', 'worker_class'];
const BUCKET_BOUNDS = DURATION_BUCKETS_MS.map((ms) => ms / 1000);

function labelsOf(series: WorkerSeries): Record<WorkerLabel, string> {
  return { pid: String(series.pid), worker_class: series.workerClass };
}

const DURATION = 'narwhal_request_duration_seconds';
const DURATION_HELP = 'Request durations, from the head read to the response over.';
type HistogramGet = Awaited<ReturnType<Histogram<WorkerLabel>['get']>>;

/** The request-duration histogram, whose buckets the workers counted. */
class WorkerDurationHistogram extends Histogram<WorkerLabel> {
  readonly #state: MetricsState;

  constructor(state: MetricsState, registry: Registry) {
    super({ name: DURATION, help: DURATION_HELP, labelNames: WORKER_LABELS, buckets: BUCKET_BOUNDS, registers: [registry] });
    this.#state = state;
  }

  override async get(): Promise<HistogramGet> {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const series of this.#state.workers.values()) {
      const labels = labelsOf(series);
      let cumulative = 0;
      for (let bucket = 0; bucket < series.buckets.length; bucket++) {
        cumulative += series.buckets[bucket]!;
        const le = bucket < BUCKET_BOUNDS.length ? BUCKET_BOUNDS[bucket]! : '+Inf';
        values.push({ labels: { ...labels, le }, value: cumulative, metricName: `${DURATION}_bucket` });
      }
      values.push({ labels, value: series.durationSumSeconds, metricName: `${DURATION}_sum` }, { labels, value: cumulative, metricName: `${DURATION}_count` });
    }
    // The shape prom-client's own Histogram returns (its typings say an enum where the registry reads 'histogram').
    return { name: DURATION, help: DURATION_HELP, type: 'histogram', values, aggregator: 'sum' } as unknown as HistogramGet;
  }

  /** What the registry renders (prom-client's Histogram keeps a second path for exemplars). */
  getForPromString(): Promise<HistogramGet> {
    return this.get();
  }
}

/** A per-worker gauge read from each worker's latest report. */
function workerGauge(registry: Registry, state: MetricsState, name: string, help: string, read: (stats: WorkerStats) => number): void {
  new Gauge({
    name,
    help,
    labelNames: WORKER_LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const series of state.workers.values()) if (series.latest !== null) this.set(labelsOf(series), read(series.latest));
    },
  });
}

/** A per-worker counter of totals the arbiter accumulated. */
function workerCounter(registry: Registry, state: MetricsState, name: string, help: string, read: (series: WorkerSeries) => number): void {
  new Counter({
    name,
    help,
    labelNames: WORKER_LABELS,
    registers: [registry],
    collect() {
      this.reset();
      for (const series of state.workers.values()) this.inc(labelsOf(series), read(series));
    },
  });
}

export function metricsRegistry(state: MetricsState): Registry {
  const registry = new Registry();
  new Counter({
    name: 'narwhal_requests_total',
    help: 'Requests answered, by status class.',
    labelNames: [...WORKER_LABELS, 'status_class'],
    registers: [registry],
    collect() {
      this.reset();
      for (const series of state.workers.values()) {
        series.requests.forEach((count, index) => {
          if (count > 0) this.inc({ ...labelsOf(series), status_class: STATUS_CLASSES[index]! }, count);
        });
      }
    },
  });
  new WorkerDurationHistogram(state, registry);
  workerCounter(registry, state, 'narwhal_requests_timed_out_total', 'Requests past --request-timeout (answered 504 or 503, or cut off).', (series) => series.timedOut);
  workerCounter(registry, state, 'narwhal_requests_shed_total', 'Requests answered 503 by --max-loop-lag without reaching the app.', (series) => series.shed);
  workerGauge(registry, state, 'narwhal_requests_in_flight', 'Requests read and not yet answered.', (stats) => stats.inFlight);
  workerGauge(registry, state, 'narwhal_open_connections', 'Open client connections.', (stats) => stats.connections);
  workerGauge(registry, state, 'narwhal_event_loop_lag_seconds', 'Mean event-loop lag over the last second.', (stats) => stats.loopLagMean);
  workerGauge(registry, state, 'narwhal_event_loop_lag_p99_seconds', '99th percentile of the event-loop lag over the last second.', (stats) => stats.loopLagP99);
  workerGauge(registry, state, 'narwhal_event_loop_lag_max_seconds', 'Largest event-loop lag over the last second.', (stats) => stats.loopLagMax);
  workerGauge(registry, state, 'narwhal_event_loop_utilization', 'Share of the last second the event loop was busy (0 to 1).', (stats) => stats.loopUtilization);
  workerGauge(registry, state, 'narwhal_heap_used_bytes', 'V8 heap in use.', (stats) => stats.heapUsed);
  workerGauge(registry, state, 'narwhal_resident_memory_bytes', 'Resident set size.', (stats) => stats.rss);
  new Gauge({
    name: 'narwhal_workers',
    help: 'Worker processes that reported metrics.',
    registers: [registry],
    collect() {
      this.set(state.workers.size);
    },
  });
  new Counter({
    name: 'narwhal_worker_restarts_total',
    help: 'Worker exits the arbiter replaced, by reason.',
    labelNames: ['reason', 'worker_class'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { reason, workerClass, count } of state.restarts.values()) this.inc({ reason, worker_class: workerClass }, count);
    },
  });
  new Counter({
    name: 'narwhal_log_messages_total',
    help: 'Error-log lines at warning and above (exception: an error logged with its stack), as gunicorn.log.*.',
    labelNames: ['level'],
    registers: [registry],
    collect() {
      this.reset();
      LOG_LEVEL_NAMES.forEach((level, slot) => this.inc({ level }, state.logLevels[slot]!));
    },
  });
  new Gauge({
    name: 'narwhal_listen_backlog',
    help: "Connections waiting in the listeners' accept queues (--enable-backlog-metric, Linux).",
    registers: [registry],
    collect() {
      this.reset();
      if (state.backlog !== null) this.set(state.backlog);
    },
  });
  return registry;
}

/** Listens at `address` and serves /metrics, /healthz and /readyz; throws a NarwhalError when it cannot bind. */
export async function startMetricsListener(address: BindAddress, state: MetricsState, log: Logger): Promise<MetricsListener> {
  if (address.kind !== 'tcp') throw new NarwhalError('NARWHAL_E_BIND', `--metrics-bind ${address.text}: the metrics listener takes HOST:PORT`);
  const registry = metricsRegistry(state);
  const server = createServer((req, res) => void answer(req, res, registry, state));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new NarwhalError('NARWHAL_E_BIND', `--metrics-bind ${address.text}: cannot listen (${error.code ?? error.message})`, { cause: error })));
    server.listen(address.port, address.host, resolve);
  });
  // Once listening, a failure (out of descriptors, say) costs a scrape, never the arbiter.
  server.on('error', (error: NodeJS.ErrnoException) => log.warning(`metrics listener: ${error.code ?? error.message}`));
  // The metrics listener never keeps the arbiter alive on its own.
  server.unref();
  return {
    url: describeBindAddress(address, (server.address() as AddressInfo).port),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, registry: Registry, state: MetricsState): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain', 'only GET\n');
  switch (path) {
    case '/metrics':
      return reply(res, 200, registry.contentType, await registry.metrics());
    case '/healthz':
      return reply(res, 200, 'text/plain', 'ok\n');
    case '/readyz':
      return state.ready() ? reply(res, 200, 'text/plain', 'ready\n') : reply(res, 503, 'text/plain', 'not ready\n');
    default:
      return reply(res, 404, 'text/plain', 'not found: /metrics, /healthz, /readyz\n');
  }
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
