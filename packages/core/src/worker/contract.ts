// Design: the WorkerClass contract. Core's worker entry owns the process: signals, the
// heartbeat timer, loading the app, exit codes and the IPC channel. A worker class only
// serves: it receives a WorkerContext and returns a handle the entry stops. No base class,
// no lifecycle to override: one object with a `serve` function.

import type { App } from '../app/app.js';
import type { AppInterface, PlainSettings } from '../config/types.js';
import type { AccessLog } from '../log/access-log.js';
import type { Logger } from '../log/create-logger.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import type { SecureOptions } from '../tls/secure-options.js';
import type { ConnectionBoard } from './connection-board.js';
import type { Heartbeat } from './heartbeat.js';
import type { LoopLagGuard } from './loop-lag-guard.js';
import type { RequestHooks } from './request-hooks.js';

/** A listening socket the arbiter bound and the worker inherited as a file descriptor. */
export interface InheritedListener {
  /** The descriptor in this process; the first listener is always fd 0 (see InheritedListeners). */
  readonly fd: number;
  /** `fd` for a descriptor inherited with `fd://N`, whose family is not known. */
  readonly kind: 'tcp' | 'unix' | 'fd';
  /** As the user wrote it in `--bind`, for logs. */
  readonly bind: string;
  /** `http://127.0.0.1:8000`, `unix:/run/app.sock`: where it actually listens. */
  readonly url: string;
}

/** Everything a worker class gets from core. */
export interface WorkerContext {
  /** The effective settings (hooks excluded). */
  readonly settings: Readonly<PlainSettings>;
  /**
   * The listening sockets to accept on. Empty for a class that declares
   * `inheritsListeners: false`; it binds `settings.bind` itself.
   */
  readonly listeners: readonly InheritedListener[];
  /** The loaded app, tagged with the contract it implements. Use `asNodeListener` / `asFetchHandler` to get the contract you run. */
  readonly app: App;
  /** The error log. */
  readonly log: Logger;
  /** The access log; when `enabled` is false, do not build records at all. */
  readonly accessLog: AccessLog;
  /**
   * Request metrics (statsd, Prometheus): call `started` when a request's head is read and
   * `finished` when its response is over, wherever the access log record is written, and give
   * `countConnections` a reader once. When `enabled` is false, call nothing per request.
   */
  readonly metrics: RequestMetrics;
  /**
   * Liveness. Core beats automatically from this process's event loop; a blocked loop stops
   * the beats and the arbiter kills the process after `timeout`. A class that gives requests a
   * deadline (sync) brackets each request with `busy(requestLine)` / `idle()`.
   */
  readonly heartbeat: Heartbeat;
  /**
   * Call once per request served. After `max_requests` (+ jitter) the arbiter starts a
   * replacement and then stops this worker gracefully; keep serving until then.
   */
  requestDone(): void;
  /** Aborts when the worker is asked to stop (TERM, QUIT, INT, arbiter gone). */
  readonly signal: AbortSignal;
  /** This worker's spawn number, as Gunicorn's `age`. */
  readonly age: number;
  /**
   * The preRequest and postRequest hooks, or null when neither is configured: call `before` when a
   * request reaches the app and `after` when its response is over (NodeHttpService does both).
   */
  readonly requestHooks: RequestHooks | null;
  /**
   * With `--certfile`: the TLS server options, read from the files as this worker booted and
   * adjusted by the `sslContext` hook; serve HTTPS on every address with them. Else null.
   */
  readonly tls: SecureOptions | null;
  /**
   * With `--max-loop-lag`: while `shedding` is true, answer each new request `retryLater` (503,
   * Retry-After) instead of handing it to the app, and call `metrics.shed()`. Else null.
   */
  readonly loopLag: LoopLagGuard | null;
  /**
   * The board on which the workers sharing the arbiter's listeners post their open connections
   * (connection-board.ts), so that long-lived connections spread evenly; null when this worker has
   * no seat. A class that accepts many connections at once posts on it and yields to a sibling
   * holding fewer (NodeHttpService does both; a class binding its own sockets ignores it).
   */
  readonly connectionBoard: ConnectionBoard | null;
}

export interface WorkerStopOptions {
  readonly graceful: boolean;
  /**
   * The whole server stops (TERM to the arbiter), not only this worker: no sibling will accept
   * the connections still queued on the listeners, which a class should take and answer with
   * `Connection: close` before it closes them, or they are reset.
   */
  readonly serverStopping?: boolean;
}

/** What `serve` returns: how core stops the worker. */
export interface WorkerHandle {
  /**
   * graceful: stop accepting, let in-flight requests finish, close idle keep-alive
   * connections, resolve when nothing is left. Core enforces `graceful_timeout` by exiting
   * when it runs out. Not graceful: close everything now.
   */
  stop(options: WorkerStopOptions): Promise<void>;
}

/** A worker class: the default export of a worker package. */
export interface WorkerClass {
  /** The `-k` name: `sync`, `gthread`, `async`, `uws`, or a third party's. */
  readonly name: string;
  /**
   * False when the engine cannot adopt inherited listening sockets (uWebSockets.js): the
   * arbiter then binds nothing and each worker binds `settings.bind` with SO_REUSEPORT.
   * Default true.
   */
  readonly inheritsListeners?: boolean;
  /**
   * True when the class serves HTTPS from `context.tls`. With `--certfile`, the arbiter refuses
   * to start a class that does not declare it, rather than let it serve cleartext. Default false.
   */
  readonly tls?: boolean;
  /**
   * True when the class serves HTTP/2 (`--http-protocols h2`): core's NodeHttpService does, for a
   * class that serves many requests per connection at once. With h2, the arbiter refuses a class
   * that does not declare it. Default false.
   */
  readonly http2?: boolean;
  /**
   * True when the class reads `--proxy-protocol` headers (NodeHttpService does). With
   * `--proxy-protocol`, the arbiter refuses a class that does not declare it. Default false.
   */
  readonly proxyProtocol?: boolean;
  /**
   * The upgrades the class carries: `fetch` for a Fetch app's `websocket` handler (Bun's shape),
   * `node` for the `upgrade` listeners of an app's own http.Server (ws, Socket.IO). A worker
   * refuses to boot an app that needs one its class does not list (NARWHAL_E_WEBSOCKET).
   * Default none.
   */
  readonly upgrades?: readonly ('fetch' | 'node')[];
  /** The contract this class runs without an adapter; the other goes through core's adapter. */
  readonly nativeInterface: AppInterface;
  /**
   * The most V8's young generation may grow to in this class's workers, per semi-space, in MiB
   * (node's `--max-semi-space-size`), unless the operator sets that flag in NODE_OPTIONS or on
   * node's command line. Under load V8 grows it to 16 MiB when many objects outlive a scavenge,
   * which a connection per request does; a class that holds few requests at once has little
   * alive at each scavenge and loses no speed with a smaller one. sync declares 4. Default V8's.
   */
  readonly semiSpaceMiB?: number;
  /**
   * Runs once in the arbiter after the settings are loaded (Gunicorn's `check_config`): throw a
   * NarwhalError for a setting this class cannot honour, log a warning for one it ignores.
   * Must not load the app.
   */
  checkConfig?(settings: Readonly<PlainSettings>, log: Logger): void;
  /** Start serving; resolve once the worker accepts requests. Throwing fails the boot. */
  serve(context: WorkerContext): WorkerHandle | Promise<WorkerHandle>;
}

/** Identity function that gives a worker class its types. */
export function defineWorkerClass(workerClass: WorkerClass): WorkerClass {
  return workerClass;
}
