// Design: the arbiter and its workers talk through Node's IPC channel, with these messages
// only. Nothing here is sent per request (metrics travel as one `stats` message a second, and
// only when they are on): liveness is the heartbeat file, control is signals
// (TERM, QUIT, INT, USR1, ABRT) as in Gunicorn, and the arbiter's messages say what a signal
// cannot: that the TERM to follow stops the whole server, and `narwhal status`'s question. The
// boot description travels in the environment so that the worker can start without waiting for
// a message.

import type { ErrorCode } from '../errors.js';
import type { HookName, PlainSettings } from '../config/types.js';
import type { WorkerIdentity } from '../arbiter/privileges.js';
import type { BoardSeat } from './connection-board.js';
import type { InheritedListener } from './contract.js';

export type WorkerToArbiter =
  /** The worker serves. */
  | { readonly type: 'ready' }
  /** The app loaded (check-config mode). */
  | { readonly type: 'checked' }
  /** The worker cannot boot; it exits right after with the code's exit status. */
  | { readonly type: 'bootError'; readonly code: ErrorCode; readonly message: string }
  /** `--reload`: files the app loaded, to watch. */
  | { readonly type: 'watch'; readonly files: readonly string[] }
  /** The worker reached max_requests: the arbiter recycles it in its turn (arbiter/recycling.ts). */
  | { readonly type: 'retire'; readonly reason: 'maxRequests'; readonly requests: number }
  /** Metrics (`--statsd-host`, `--metrics-bind`): once a second. */
  | WorkerStats
  /** The answer to the arbiter's `status` question (`narwhal status`). */
  | WorkerStatusReply;

/** What a worker says of itself when asked; `inFlight` is null when metrics are off (nothing counts it then). */
export interface WorkerStatusReply {
  readonly type: 'status';
  /** Requests served since the worker started. */
  readonly requests: number;
  readonly inFlight: number | null;
  readonly rss: number;
}

/** A worker's metrics report (metrics/worker-stats.ts). Counts are since the previous report; the rest is now. */
export interface WorkerStats {
  readonly type: 'stats';
  /** Requests finished. */
  readonly requests: number;
  /** status, count, status, count… (0 stands for a status outside 0–999). */
  readonly statuses: readonly number[];
  /** Requests per duration bucket (metrics/request-metrics.ts DURATION_BUCKETS_MS, then +Inf); not cumulative. */
  readonly buckets: readonly number[];
  readonly durationSumMs: number;
  /** A uniform sample of the requests' durations in ms (all of them when they are few). */
  readonly samples: readonly number[];
  /** Requests past --request-timeout, and requests shed by --max-loop-lag. */
  readonly timedOut: number;
  readonly shed: number;
  readonly inFlight: number;
  readonly connections: number;
  /** Event-loop lag in seconds over the interval: mean, 99th percentile, maximum. */
  readonly loopLagMean: number;
  readonly loopLagP99: number;
  readonly loopLagMax: number;
  /** The event loop's utilisation over the interval, 0 to 1. */
  readonly loopUtilization: number;
  readonly heapUsed: number;
  readonly rss: number;
  /** Warning, error, critical and exception log lines. */
  readonly logLevels: readonly number[];
}

export type ArbiterToWorker =
  /**
   * Sent just before a graceful stop's TERM when the whole server stops (not for a reload, a
   * scale-down or a recycling): no sibling will accept the connections still queued on the
   * listeners, so the worker takes them before it closes (WorkerHandle.stop's `serverStopping`).
   */
  | { readonly type: 'serverStopping' }
  /** Asked once per `narwhal status` or `show workers`, never per request: the worker answers a WorkerStatusReply. */
  | { readonly type: 'status' };

/** Where the worker class lives, as the arbiter resolved it: one of core's own, or a module. */
export type WorkerClassLocation =
  | { readonly builtIn: string }
  | {
      /** A file URL. */
      readonly url: string;
      /** The export holding the class; null for the default export. */
      readonly exportName: string | null;
    };

/** What a worker process needs to boot, serialised into its environment. */
export interface WorkerBoot {
  readonly age: number;
  readonly arbiterPid: number;
  readonly settings: PlainSettings;
  /** The config file to re-read for worker-side hooks, when it defines any. */
  readonly hooksFrom: string | null;
  readonly hookNames: readonly HookName[];
  readonly workerClass: WorkerClassLocation;
  readonly listeners: readonly InheritedListener[];
  readonly heartbeatFd: number;
  /** This worker's seat on the connection board; null without one (--check-config, more workers than slots). */
  readonly board: BoardSeat | null;
  /** Load the app, report `checked`, exit. */
  readonly checkOnly: boolean;
  /** `--user`/`--group`, resolved by the arbiter; null to stay who we are. */
  readonly identity: WorkerIdentity | null;
}

export const BOOT_ENV = 'NARWHAL_WORKER_BOOT';

/** A message of either direction's shape (only the arbiter and its workers use the channel). */
export function isWorkerMessage(message: unknown): message is WorkerToArbiter {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string';
}

export function isArbiterMessage(message: unknown): message is ArbiterToWorker {
  return isWorkerMessage(message);
}
