// Design: what a worker class calls to feed the metrics (`WorkerContext.metrics`). When neither
// `--statsd-host` nor `--metrics-bind` is set, `enabled` is false and a class takes a request
// path that calls nothing here (the access log's rule): the object is chosen once at startup.

/** A worker's request counters, fed by its worker class. */
export interface RequestMetrics {
  /** False when metrics are off: then call nothing, not even `started`. */
  readonly enabled: boolean;
  /** A request reached the server (its head was read); `finished` follows once for it. */
  started(): void;
  /** Its response is over (sent, or the client left), with its status and duration in milliseconds. */
  finished(status: number, durationMs: number): void;
  /** How to read the class's open connections; read once per report, never per request. */
  countConnections(read: () => number): void;
  /** A request passed --request-timeout (answered 504 or 503, or cut off); `finished` still follows. */
  timedOut(): void;
  /** A request was answered 503 by --max-loop-lag without reaching the app; `finished` still follows. */
  shed(): void;
}

const nothing = (): void => {};

export const NO_METRICS: RequestMetrics = { enabled: false, started: nothing, finished: nothing, countConnections: nothing, timedOut: nothing, shed: nothing };

/** Upper bounds of the request-duration histogram's buckets, in milliseconds (the last bucket is +Inf). */
export const DURATION_BUCKETS_MS: readonly number[] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
