import type { Logger } from '../log/create-logger.js';
import type { SecureOptions } from '../tls/secure-options.js';
import type { HookRequest, HookResponse } from '../worker/request-hooks.js';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';
export type AppInterface = 'node' | 'fetch';
export type InterfaceSetting = 'auto' | AppInterface;
export type LogFormat = 'text' | 'json';

/** A read-only view of a worker process, as the arbiter's hooks see it. */
export interface WorkerInfo {
  readonly pid: number;
  /** Spawn order: a larger age is a younger worker; the oldest are retired first. */
  readonly age: number;
  /** True once the worker reported that it serves. */
  readonly booted: boolean;
}

/** What the arbiter-side hooks receive (Gunicorn passes its Arbiter). */
export interface ServerView {
  readonly pid: number;
  readonly settings: Readonly<Settings>;
  readonly log: Logger;
  readonly workers: readonly WorkerInfo[];
}

/** What the worker-side hooks receive (Gunicorn passes its Worker). */
export interface WorkerView {
  readonly pid: number;
  readonly age: number;
  readonly settings: Readonly<Settings>;
  readonly log: Logger;
}

type Awaitable<T> = T | Promise<T>;

/** Server hooks, Gunicorn's names in camelCase. Each runs where Gunicorn runs it. */
export interface Hooks {
  /** Arbiter, before the listeners are bound. Throwing stops the server. */
  onStarting: (server: ServerView) => Awaitable<void>;
  /** Arbiter, on HUP, after the settings were re-read and before new workers are spawned. */
  onReload: (server: ServerView) => Awaitable<void>;
  /** Arbiter, once the listeners are bound, before the first worker is spawned. Throwing stops the server. */
  whenReady: (server: ServerView) => Awaitable<void>;
  /** Arbiter, just before a worker is spawned. */
  preFork: (server: ServerView, worker: WorkerInfo) => Awaitable<void>;
  /** Worker, before the worker class and the app are loaded. */
  postFork: (server: ServerView | null, worker: WorkerView) => Awaitable<void>;
  /** Worker, after the app was loaded, before it serves. */
  postWorkerInit: (worker: WorkerView) => Awaitable<void>;
  /** Worker, on SIGINT or SIGQUIT (quick stop). */
  workerInt: (worker: WorkerView) => Awaitable<void>;
  /** Worker, on SIGABRT (the arbiter's timeout), when its event loop still runs. */
  workerAbort: (worker: WorkerView) => Awaitable<void>;
  /** Worker, before the app sees a request. Throwing answers 500, as an app error. */
  preRequest: (worker: WorkerView, req: HookRequest) => void;
  /** Worker, once the response to a request that reached preRequest is over. Throwing is logged. */
  postRequest: (worker: WorkerView, req: HookRequest, res: HookResponse) => void;
  /**
   * Arbiter (to check) and worker (to serve): adjusts the TLS options read from the SSL settings
   * before the secure context is built; returns them, or undefined for those it was given.
   */
  sslContext: (settings: Readonly<PlainSettings>, options: SecureOptions) => Awaitable<SecureOptions | undefined | void>;
  /** Arbiter, after a worker exited. */
  childExit: (server: ServerView, worker: WorkerInfo) => Awaitable<void>;
  /** Worker, just before it exits. */
  workerExit: (server: ServerView | null, worker: WorkerView) => Awaitable<void>;
  /** Arbiter, when the target number of workers changes (`oldValue` is null at start). */
  nworkersChanged: (server: ServerView, newValue: number, oldValue: number | null) => Awaitable<void>;
  /** Arbiter, just before it exits. */
  onExit: (server: ServerView) => Awaitable<void>;
  /** Arbiter, on USR2, just before the new arbiter is started. */
  preExec: (server: ServerView) => Awaitable<void>;
}

export type HookName = keyof Hooks;

/** Every setting, by its config-file key (Gunicorn's name in camelCase). */
export interface Settings extends Hooks {
  config: string | null;
  checkConfig: boolean;
  printConfig: boolean;
  app: string | null;
  interface: InterfaceSetting;
  bind: string[];
  backlog: number;
  workers: number;
  workerClass: string;
  threads: number;
  workerConnections: number;
  maxRequests: number;
  maxRequestsJitter: number;
  maxWorkerMemory: number;
  maxWorkerMemoryPeriod: number;
  maxWorkerLifetime: number;
  maxWorkerLifetimeJitter: number;
  maxConcurrentRecycles: number;
  timeout: number;
  requestTimeout: number;
  maxLoopLag: number;
  gracefulTimeout: number;
  drainDelay: number;
  keepalive: number;
  headerTimeout: number;
  chdir: string;
  rawEnv: string[];
  pidfile: string | null;
  controlSocket: string;
  controlSocketMode: string;
  controlSocketDisable: boolean;
  workerTmpDir: string | null;
  procName: string | null;
  accesslog: string | null;
  accessLogFormat: string;
  errorlog: string;
  loglevel: LogLevel;
  logFormat: LogFormat;
  limitRequestLine: number;
  limitRequestFields: number;
  limitRequestFieldSize: number;
  daemon: boolean;
  enableStdioInheritance: boolean;
  user: string | null;
  group: string | null;
  umask: string;
  initgroups: boolean;
  forwardedAllowIps: string[];
  secureSchemeHeaders: Record<string, string>;
  proxyProtocol: 'off' | 'v1' | 'v2' | 'auto';
  proxyAllowIps: string[];
  httpProtocols: string[];
  http2Cleartext: 'off' | 'prior-knowledge' | 'upgrade' | 'both';
  http2MaxConcurrentStreams: number;
  http2InitialWindowSize: number;
  http2MaxFrameSize: number;
  http2MaxHeaderListSize: number;
  captureOutput: boolean;
  preloadApp: boolean;
  reload: boolean;
  reloadEngine: 'auto' | 'poll' | 'inotify';
  reloadExtraFiles: string[];
  syslog: boolean;
  syslogAddr: string;
  syslogPrefix: string | null;
  syslogFacility: string;
  disableRedirectAccessToSyslog: boolean;
  statsdHost: string | null;
  statsdPrefix: string;
  dogstatsdTags: string;
  enableBacklogMetric: boolean;
  metricsBind: string | null;
  permitObsoleteFolding: boolean;
  stripHeaderSpaces: boolean;
  permitUnconventionalHttpMethod: boolean;
  permitUnconventionalHttpVersion: boolean;
  casefoldHttpMethod: boolean;
  certfile: string | null;
  keyfile: string | null;
  caCerts: string | null;
  certReqs: number;
  sslVersion: string;
  ciphers: string | null;
  doHandshakeOnConnect: boolean;
  websocketMaxPayload: number;
  websocketIdleTimeout: number;
  websocketCompression: boolean;
  websocketBackpressureLimit: number;
}

export type SettingKey = keyof Settings;

/** What a config file may export: any subset of the settings, hooks included. */
export type UserConfig = Partial<Settings>;

/** The settings a worker process receives: everything but the hooks, which it re-reads from the config file. */
export type PlainSettings = Omit<Settings, HookName>;
