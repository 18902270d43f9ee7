// Design: THE settings schema. Every setting is declared once here; the argv parser, `--help`,
// config-file validation, `--print-config` and apps/docs/settings.md are all generated from it.
// The mapped type below makes the compiler reject a key of `Settings` that has no record.
// Records follow Gunicorn's names and defaults; `gunicorn: null` marks a Narwhal-only setting.

import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseUmask } from '../arbiter/privileges.js';
import { allowEntries, allowEntryProblem } from '../http/forwarded.js';
import { parseSyslogAddress, SYSLOG_FACILITIES } from '../log/syslog.js';
import { parseStatsdAddress } from '../metrics/statsd-address.js';
import { parseBindAddress } from './bind-address.js';
import { sslVersionProblem } from '../tls/ssl-version.js';
import type { HookName, Hooks, Settings, SettingKey } from './types.js';

export type Section =
  | 'Config'
  | 'Server socket'
  | 'Worker processes'
  | 'Server mechanics'
  | 'Logging'
  | 'Process naming'
  | 'Security'
  | 'SSL'
  | 'HTTP/2'
  | 'WebSockets'
  | 'Server hooks';

export type ValueType = 'int' | 'number' | 'string' | 'boolean' | 'list' | 'enum' | 'map' | 'hook';

export interface SettingSpec<T> {
  /** Gunicorn's name for it, or null when Narwhal adds it. */
  readonly gunicorn: string | null;
  /** Command-line spellings; empty for config-file-only settings. */
  readonly flags: readonly string[];
  /** Other command-line spellings, accepted but not shown in `--help` (Gunicorn's `--limit-request-field_size`). */
  readonly flagAliases?: readonly string[];
  /**
   * Other config-file spellings, accepted silently (`accessLog` for `accesslog`). The long flags
   * in camelCase (`keepAlive` from `--keep-alive`), Gunicorn's snake_case name, and the
   * snake_case of the key and of each alias are accepted too, without being listed
   * (config/setting-names.ts).
   */
  readonly aliases?: readonly string[];
  readonly section: Section;
  readonly type: ValueType;
  /** The value placeholder in `--help`. */
  readonly metavar?: string;
  /** The default, or a function of the environment (`WEB_CONCURRENCY`, `PORT`). */
  readonly default: T | ((env: NodeJS.ProcessEnv) => T);
  /** An environment variable that, when set, replaces the default (validated like a flag value). */
  readonly env?: string;
  /** How the default reads in the docs when it is computed. */
  readonly defaultText?: string;
  readonly nullable?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  /**
   * An enum whose flag may stand alone (`--proxy-protocol` as Gunicorn's `nargs='?'`): the value
   * it then means, also taken for `true` in a config file. A following word that is not one of
   * `values` is not consumed.
   */
  readonly valueWhenBare?: string;
  /** Hooks: the number of parameters Gunicorn passes. */
  readonly arity?: number;
  /** A further check on a well-typed value; returns the problem, or undefined. */
  readonly check?: (value: T) => string | undefined;
  /** One line, for `--help`. */
  readonly short: string;
  /** The long text, for apps/docs/settings.md. */
  readonly doc: string;
}

type Schema = { readonly [K in SettingKey]: SettingSpec<Settings[K]> };

const noop = (): void => {};

function hook<K extends HookName>(gunicorn: string, arity: number, short: string, doc: string): SettingSpec<Hooks[K]> {
  return { gunicorn, flags: [], section: 'Server hooks', type: 'hook', arity, default: noop as unknown as Hooks[K], defaultText: 'no-op', short, doc };
}

function checkBindList(binds: string[]): string | undefined {
  for (const bind of binds) {
    try {
      parseBindAddress(bind);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return binds.length === 0 ? 'needs at least one address' : undefined;
}

function checkRawEnv(pairs: string[]): string | undefined {
  const bad = pairs.find((pair) => !/^[^=\s]+=/.test(pair));
  return bad === undefined ? undefined : `'${bad}' is not KEY=VALUE`;
}

/** A check that reports what `parse` throws. */
function checkWith(parse: (text: string) => unknown): (text: string | null) => string | undefined {
  return (text) => {
    if (text === null) return undefined;
    try {
      parse(text);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
}

const checkSyslogAddress = checkWith(parseSyslogAddress);
const checkStatsdAddress = checkWith(parseStatsdAddress);
const checkMetricsBind = checkWith((text) => {
  if (parseBindAddress(text).kind !== 'tcp') throw new Error(`'${text}' is not HOST:PORT; the metrics listener takes a TCP address`);
});

function checkAllowList(list: string[]): string | undefined {
  for (const entry of allowEntries(list)) {
    const problem = allowEntryProblem(entry);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const HTTP_PROTOCOLS = ['h1', 'h2'];

/** The protocols `--http-protocols` lists: its entries split on commas. */
export function listedProtocols(list: readonly string[]): string[] {
  return allowEntries(list);
}

function checkHttpProtocols(list: string[]): string | undefined {
  const protocols = listedProtocols(list);
  const unknown = protocols.find((protocol) => !HTTP_PROTOCOLS.includes(protocol));
  if (unknown === 'h3') return "'h3' is reserved (as in Gunicorn) and not served";
  if (unknown !== undefined) return `'${unknown}' is not h1 or h2`;
  if (protocols.length === 0) return 'lists no protocol; use h1, h2 or h1,h2';
  return undefined;
}

/** Gunicorn 26's place: the user's runtime directory when there is one, else a directory in the home. */
function defaultControlSocket(env: NodeJS.ProcessEnv): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== '' && existsSync(runtime)) return join(runtime, 'narwhal.ctl');
  return join(env.HOME || homedir(), '.narwhal', 'narwhal.ctl');
}

export const SETTINGS: Schema = {
  config: {
    gunicorn: 'config',
    flags: ['-c', '--config'],
    section: 'Config',
    type: 'string',
    metavar: 'CONFIG',
    nullable: true,
    default: null,
    defaultText: './narwhal.config.{js,mjs,cjs,ts,mts} when present',
    short: 'The config file to load.',
    doc: 'A JavaScript or TypeScript module whose default export is an object of settings (camelCase keys) and server hooks; `defineConfig()` from `@narwhal/core` gives it types. Without `-c`, the first of `./narwhal.config.js`, `.mjs`, `.cjs`, `.ts`, `.mts` that exists is loaded. Precedence, lowest first: defaults, the config file, `NARWHAL_CMD_ARGS`, the command line.',
  },
  checkConfig: {
    gunicorn: 'check_config',
    flags: ['--check-config'],
    section: 'Config',
    type: 'boolean',
    default: false,
    short: 'Check the configuration and the app, then exit.',
    doc: 'Validates every setting, resolves the worker class and loads the app in a short-lived worker process (the arbiter never runs app code), then exits 0, or non-zero with the error.',
  },
  printConfig: {
    gunicorn: 'print_config',
    flags: ['--print-config'],
    section: 'Config',
    type: 'boolean',
    default: false,
    short: 'Print the effective settings and where each came from, then exit.',
    doc: 'Prints every setting with its effective value and its source (default, environment, config file, NARWHAL_CMD_ARGS or command line), then exits.',
  },
  app: {
    gunicorn: 'wsgi_app',
    flags: [],
    section: 'Config',
    type: 'string',
    nullable: true,
    default: null,
    short: 'The app, MODULE[:EXPORT], when not given on the command line.',
    doc: 'The positional `APP` argument, settable from the config file. MODULE is a file path (`app.js`, `dist/server.mjs`) or a package name; EXPORT defaults to the default export; `createApp()` or `createApp(\'prod\', 2)` calls a factory (sync or async) with literal arguments.',
  },
  interface: {
    gunicorn: null,
    flags: ['--interface'],
    section: 'Config',
    type: 'enum',
    values: ['auto', 'node', 'fetch'],
    metavar: 'auto|node|fetch',
    default: 'auto',
    short: 'The app contract: a Node request listener or a Fetch handler.',
    doc: '`node`: `(req, res) => void` (plain handlers, Express, Koa\'s `callback()`, Connect). `fetch`: `(request) => Response` or an object with a `fetch` method (Hono, `export default { fetch }`). `auto` decides from the export: an object with a `fetch` method is Fetch; an `http.Server` or an object with a `callback()` factory (Koa) is Node; a function declaring two or more parameters is Node, fewer is Fetch.',
  },
  preloadApp: {
    gunicorn: 'preload_app',
    flags: ['--preload'],
    section: 'Config',
    type: 'boolean',
    default: false,
    short: 'Load the app once in the arbiter before spawning workers, to fail fast.',
    doc: "The arbiter imports the app (and runs its factory) before it binds or spawns anything, so an app that cannot load stops narwhal at once with one line and exit code 4, as in Gunicorn. It shares nothing with the workers: Node cannot fork a running process, so every worker is a fresh `node` that loads the app again; Gunicorn's memory saving by copy-on-write does not exist here, and the arbiter keeps a copy of the app in memory for nothing else. The app's top-level code therefore runs in the arbiter too (as root, if narwhal starts as root with `--user`: as in Gunicorn). HUP does not load the app in the arbiter again (Node keeps a module once imported); the new workers load the new code, and a reload whose workers cannot load it leaves the old ones serving.",
  },
  reload: {
    gunicorn: 'reload',
    flags: ['--reload'],
    section: 'Config',
    type: 'boolean',
    default: false,
    short: 'Restart the workers when a file of the app changes (development).',
    doc: "Each worker reports the files its app loaded (its import graph and `require` cache, outside node_modules), and the arbiter watches them and `--reload-extra-file`. On a change it replaces every worker the way HUP does: the new ones load the new code, and the old ones stop only once the new ones serve. So a file saved with a syntax error leaves the old workers serving and the log says why in one line (`Reload failed: app module app.mjs failed to load: SyntaxError: … [NARWHAL_E_APP_LOAD]`); the next save tries again. The settings are re-read as on HUP. For development: every save restarts every worker.",
  },
  reloadEngine: {
    gunicorn: 'reload_engine',
    flags: ['--reload-engine'],
    section: 'Config',
    type: 'enum',
    values: ['auto', 'poll', 'inotify'],
    metavar: 'auto|poll|inotify',
    default: 'auto',
    short: 'How --reload notices changes: fs.watch (inotify), polling, or auto.',
    doc: "`inotify` uses Node's fs.watch on each watched file's directory (inotify on Linux, kqueue or FSEvents elsewhere), which also sees an editor's save-by-rename; `poll` stats every watched file each second, for file systems where change events do not arrive (network mounts, some container volumes); `auto` is fs.watch, and polling for a directory fs.watch cannot watch.",
  },
  reloadExtraFiles: {
    gunicorn: 'reload_extra_files',
    flags: ['--reload-extra-file'],
    section: 'Config',
    type: 'list',
    metavar: 'FILE',
    default: (): string[] => [],
    defaultText: '[]',
    short: 'Another file --reload watches (a template, a JSON file); repeatable.',
    doc: "Paths relative to `--chdir`. Files the app reads without importing them (templates, JSON read with fs) are not in its import graph: list them here. Gunicorn 26.1 also expands glob patterns; Node 20 has no glob in its standard library, so here each entry is one file.",
  },
  bind: {
    gunicorn: 'bind',
    flags: ['-b', '--bind'],
    section: 'Server socket',
    type: 'list',
    metavar: 'ADDRESS',
    default: (env) => [env.PORT ? `0.0.0.0:${env.PORT}` : '127.0.0.1:8000'],
    defaultText: "['127.0.0.1:8000'], or ['0.0.0.0:$PORT'] when PORT is set",
    check: checkBindList,
    short: 'An address to listen on; repeat for several.',
    doc: 'Forms: `HOST:PORT`, `HOST` (port 8000), `[::1]:PORT` for IPv6, `unix:PATH` for a unix socket, `fd://N` for an inherited file descriptor. Every worker serves every address. Port 0 takes a free port, shown in the "Listening at" line. The arbiter binds them all before any worker starts and keeps them through restarts, so no connection is refused during a reload.',
  },
  backlog: {
    gunicorn: 'backlog',
    flags: ['--backlog'],
    section: 'Server socket',
    type: 'int',
    metavar: 'INT',
    min: 1,
    default: 2048,
    short: 'The maximum number of pending connections.',
    doc: 'The listen queue length passed to listen(2); the kernel caps it at `net.core.somaxconn`. Connections beyond it are refused or dropped by the kernel.',
  },
  workers: {
    gunicorn: 'workers',
    flags: ['-w', '--workers'],
    section: 'Worker processes',
    type: 'int',
    metavar: 'INT',
    min: 1,
    env: 'WEB_CONCURRENCY',
    default: 1,
    short: 'The number of worker processes.',
    doc: 'A positive integer, usually 2 to 4 per core; Gunicorn\'s rule of thumb is `(2 × cores) + 1` for blocking apps. Event-loop worker classes (`async`, `uws`) need no more than one per core. TTIN and TTOU change it at run time.',
  },
  workerClass: {
    gunicorn: 'worker_class',
    flags: ['-k', '--worker-class'],
    section: 'Worker processes',
    type: 'string',
    metavar: 'STRING',
    default: 'sync',
    short: 'The worker class: sync, gthread, async, uws, or a package.',
    doc: '`sync` comes with `@narwhal/core`. Any other NAME is looked up as `@narwhal/worker-NAME` (`gthread`, `async`, `uws`), then `narwhal-worker-NAME`, then a package named NAME (only one that depends on `@narwhal/core` or has the `narwhal-worker` keyword). A full package name, with a subpath if its `exports` has one (`@acme/narwhal-workers/hello`), loads a third-party class, as does `MODULE:EXPORT` for a named export; a path (`./my-worker.js`) is taken from the directory narwhal runs in. Packages resolve as `import()` would, from the app\'s directory, then the current one, then `@narwhal/core`\'s own install. A class whose package declares another `@narwhal/core` range, or none, is used with a warning. With `--threads` above 1 and the default class, `gthread` is used, as in Gunicorn.',
  },
  threads: {
    gunicorn: 'threads',
    flags: ['--threads'],
    section: 'Worker processes',
    type: 'int',
    metavar: 'INT',
    min: 1,
    default: 1,
    short: 'Threads per worker process (gthread).',
    doc: 'The size of each worker\'s thread pool in the `gthread` class, where Node worker_threads run JavaScript in parallel. With more than 1 and the worker class left at `sync`, the class becomes `gthread`. Other classes ignore it.',
  },
  workerConnections: {
    gunicorn: 'worker_connections',
    flags: ['--worker-connections'],
    section: 'Worker processes',
    type: 'int',
    metavar: 'INT',
    min: 1,
    default: 1000,
    short: 'The maximum number of simultaneous clients per worker.',
    doc: 'Applies to `async`, `gthread` and `uws`. At the limit an `async` or `gthread` worker stops accepting; further connections wait in the kernel queue for a worker with room instead of being reset. `uws` cannot pause accepting, so there it caps the requests in flight and answers 503 beyond.',
  },
  maxRequests: {
    gunicorn: 'max_requests',
    flags: ['--max-requests'],
    section: 'Worker processes',
    type: 'int',
    metavar: 'INT',
    min: 0,
    default: 0,
    short: 'Requests a worker serves before it is replaced (0: never).',
    doc: 'A simple guard against memory leaks. The arbiter starts the replacement first and retires the old worker gracefully once the replacement serves.',
  },
  maxRequestsJitter: {
    gunicorn: 'max_requests_jitter',
    flags: ['--max-requests-jitter'],
    section: 'Worker processes',
    type: 'int',
    metavar: 'INT',
    min: 0,
    default: 0,
    short: 'A random 0..N added to max-requests per worker.',
    doc: 'Spreads restarts so that the workers do not all recycle at once.',
  },
  maxWorkerMemory: {
    gunicorn: null,
    flags: ['--max-worker-memory'],
    section: 'Worker processes',
    type: 'int',
    metavar: 'MB',
    min: 0,
    default: 0,
    short: 'Recycle a worker whose RSS stays above this many MiB (0: never).',
    doc: "PM2's `max_memory_restart`, which Gunicorn lacks. About once a second the arbiter reads each worker's resident set size from `/proc/PID/status` (`VmRSS`): no message from the worker and no metrics needed. A worker above the limit for `--max-worker-memory-period` seconds in a row is recycled as after `--max-requests`: its replacement starts and serves first, then it stops gracefully, within `--max-concurrent-recycles`. MB means MiB (1,048,576 bytes), as `ps` and PM2 count. Linux only: elsewhere the arbiter says once that the setting is ignored.",
  },
  maxWorkerMemoryPeriod: {
    gunicorn: null,
    flags: ['--max-worker-memory-period'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0,
    default: 10,
    short: 'How long a worker may stay above --max-worker-memory before it is recycled.',
    doc: 'A short peak (a large upload, a report built in memory) is not a leak: only a worker whose RSS is above the limit at every sample for this long is recycled. 0 recycles at the first sample above the limit.',
  },
  maxWorkerLifetime: {
    gunicorn: null,
    flags: ['--max-worker-lifetime'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0,
    default: 0,
    short: 'Recycle a worker this many seconds after its spawn (0: never).',
    doc: 'For leaks that are slow, or that neither the request count nor the RSS shows (descriptors, caches outside the heap). The replacement starts and serves first, then the old worker stops gracefully, within `--max-concurrent-recycles`.',
  },
  maxWorkerLifetimeJitter: {
    gunicorn: null,
    flags: ['--max-worker-lifetime-jitter'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0,
    default: 0,
    short: 'A random 0..N seconds added to max-worker-lifetime per worker.',
    doc: 'Workers started together would otherwise reach their lifetime together; with a jitter they come due one after another.',
  },
  maxConcurrentRecycles: {
    gunicorn: null,
    flags: ['--max-concurrent-recycles'],
    section: 'Worker processes',
    type: 'int',
    metavar: 'INT',
    min: 1,
    default: 1,
    short: 'Recycles (max-requests, memory, lifetime) in progress at once, at most.',
    doc: 'A recycle is in progress from the moment its replacement is spawned until the old worker has exited. Workers that come due meanwhile keep serving and wait their turn, the longest waiting first, so that a leak every worker shares, or workers started together, never replace all of them at once: replacements boot on the same cores the serving workers use.',
  },
  timeout: {
    gunicorn: 'timeout',
    flags: ['-t', '--timeout'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0,
    default: 30,
    short: 'Kill a worker that is silent this long (0: never).',
    doc: 'A worker proves its event loop is alive every `timeout / 4` seconds (at most every second); one that stays silent for `timeout` seconds gets SIGABRT, then SIGKILL, and is replaced ("WORKER TIMEOUT"). For `sync` it is also the request deadline, as in Gunicorn: the heartbeat stops while a request runs, so a request over `timeout` costs its worker (`--request-timeout`, when shorter, answers 504 first to an app that awaits). On every other class it is the heartbeat alone, as in Gunicorn: a request\'s own deadline is `--request-timeout` (`gthread` used to take `timeout` as its request deadline; set `--request-timeout` for that now). A worker that does not report ready within `timeout` seconds of its spawn is killed as a boot failure. When a worker\'s event loop is blocked (a handler that spins, a synchronous call that never returns), no signal handler of it can run, so each worker runs a watchdog thread (started by its first connection) that, once the loop has been silent for nearly `timeout`, pauses it through the inspector and writes its JavaScript stack to the error log (`Worker (pid:N) event loop blocked for 29.1s; JavaScript stack:` and `at` lines), just before the kill; a loop blocked inside native code is logged as such. Its cost, measured on Node 20: about 8.5 MiB of memory per worker that has served (a V8 isolate; none before the first connection) and 0.03% of a core at rest (one wake-up a second); `--timeout 0` turns it off with the timeout. Node\'s diagnostic report on a signal was no alternative: it is written only once the loop is free, with an empty JavaScript stack.',
  },
  requestTimeout: {
    gunicorn: null,
    flags: ['--request-timeout'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0,
    default: 0,
    short: 'Deadline of each request from its head read (0: none); past it 504, the app\'s request aborted, the worker lives.',
    doc: "Counted from the moment the request head is read. Past it, a request whose response has not started is answered `504 Gateway Timeout` with `Connection: close` (or `503 Service Unavailable` with `Retry-After: 1` when it never reached the app: on `gthread` it still waited for a free thread, on `sync` for the request running before it), and the app is told as when a client leaves: a Fetch handler's `request.signal` aborts with a `TimeoutError` DOMException as its reason, a Node listener's `req` and `res` emit `close` (and its later writes are ignored), so it can stop its upstream call. A request whose response already started has its connection closed (the client sees a cut-off body) and the error log says so. The worker is not restarted; the access log records the 504 with its duration, and the metrics count it (`narwhal_requests_timed_out_total`, statsd `gunicorn.request.timed_out`). Deadlines are checked by one timer per worker at a granularity of a twentieth of the deadline (10 to 250 ms), not one timer per request; 0 (the default) costs nothing. On `sync` the app runs on the worker's only event loop: an app that awaits (`await fetch(...)`) gets its 504 and the worker serves on, but an app that blocks the loop cannot be answered, and the heartbeat's `timeout` still kills its worker; so on `sync` it must be shorter than `timeout` (narwhal warns at startup otherwise). On `gthread` a thread whose app blocks its own loop past the deadline, so that it cannot hear the abort, is terminated and replaced after one more second.",
  },
  maxLoopLag: {
    gunicorn: null,
    flags: ['--max-loop-lag'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'MS',
    min: 0,
    default: 0,
    short: 'Answer new requests 503 while this worker\'s event-loop lag is over MS (0: never).',
    doc: "Load shedding for an overloaded worker. A timer sampling every 20 ms measures how late the worker's event loop runs it; once the loop is found later than MS milliseconds twice within a second, or without a break for half a second (one short late spell alone is a hiccup, such as a garbage collection), the worker answers new requests `503 Service Unavailable` with `Retry-After: 1` and `Connection: close` instead of handing them to the app, until no sample has been over MS for a second. Requests already with the app are served as usual. The error log says so once when shedding starts (`Event loop lag 312 ms over --max-loop-lag 100 ms: answering new requests 503 (pid:N)`) and once when it stops, never per request; the metrics count the requests shed (`narwhal_requests_shed_total`, statsd `gunicorn.request.shed`). A load balancer that retries on 503 then sends the request to a sibling or another machine. Set it well above the lag the worker shows at its usual peak (`narwhal_event_loop_lag_p99_seconds`): 100 to 500 ms suits most apps. On `gthread`, whose app runs on the pool's threads, the lag is that of the freest thread (one thread stuck while another is free is not overload), or the main thread's when larger; each thread stamps a shared table every 20 ms for it.",
  },
  gracefulTimeout: {
    gunicorn: 'graceful_timeout',
    flags: ['--graceful-timeout'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0,
    default: 30,
    short: 'Time a worker has to finish its requests on a graceful stop.',
    doc: 'After a graceful stop (TERM, HUP, TTOU, max-requests), in-flight requests have this long to finish; then the worker is killed.',
  },
  drainDelay: {
    gunicorn: null,
    flags: ['--drain-delay'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0,
    default: 0,
    short: 'On TERM, keep serving this long while /readyz answers 503, then stop gracefully.',
    doc: "For a load balancer that polls readiness: from the TERM, `/readyz` on `--metrics-bind` answers 503 while the workers keep serving every request, new connections included, for this many seconds (the arbiter logs `Draining for 5 s before stopping (TERM)`); then the graceful stop proceeds as without it: the workers stop accepting and finish their requests within `--graceful-timeout`, the last response on each keep-alive connection carrying `Connection: close`. A second TERM during the delay starts the graceful stop at once, an INT or QUIT the quick stop. 0 (the default) stops at once, as Gunicorn does; nor is there a delay when no worker serves yet, or when a new arbiter (USR2) serves the same sockets. Gunicorn has no such setting: it does what a Kubernetes `preStop` hook that sleeps does, from inside the server, and makes `/readyz` say so. The whole stop then takes up to the delay plus `--graceful-timeout`: a supervisor's stop timeout (Kubernetes' `terminationGracePeriodSeconds`, systemd's `TimeoutStopSec`, Docker's `--stop-timeout`) must cover both. The TERM must reach the arbiter alone (systemd: `KillMode=mixed`); a worker sent TERM itself stops at once.",
  },
  keepalive: {
    gunicorn: 'keepalive',
    flags: ['--keep-alive'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0,
    default: 2,
    short: 'Seconds to wait for the next request on a keep-alive connection.',
    doc: 'Behind a load balancer, set it above the balancer\'s idle timeout (AWS ALB: 60 s) to avoid sporadic 502s. 0 closes after every response. `sync` always closes, as in Gunicorn; `uws` keeps idle connections for uWebSockets.js\'s own 10 s whatever the value above 0.',
  },
  headerTimeout: {
    gunicorn: null,
    flags: ['--header-timeout'],
    section: 'Worker processes',
    type: 'number',
    metavar: 'SECONDS',
    min: 0.1,
    default: 10,
    short: 'Close a connection whose request head is not complete within this time.',
    doc: 'Counted from the connection (or, on a keep-alive connection, from the first byte of the next request) to the end of the request head; past it the client gets `408 Request Timeout` and the connection is closed. This is what keeps slow clients (slowloris) from holding workers: a head still arriving holds no worker on any class, and `sync` keeps serving other clients meanwhile. `uws` cannot change it: uWebSockets.js closes such connections after its own idle timeout of about 10 s.',
  },
  chdir: {
    gunicorn: 'chdir',
    flags: ['--chdir'],
    section: 'Server mechanics',
    type: 'string',
    metavar: 'DIR',
    default: (): string => process.cwd(),
    defaultText: 'the current directory',
    short: 'Change to this directory before loading the config and the app.',
    doc: 'Relative paths (the app, the config file, log files, unix sockets) are taken from here.',
  },
  rawEnv: {
    gunicorn: 'raw_env',
    flags: ['-e', '--env'],
    section: 'Server mechanics',
    type: 'list',
    metavar: 'KEY=VALUE',
    default: (): string[] => [],
    defaultText: '[]',
    check: checkRawEnv,
    short: 'Set an environment variable in the workers; repeatable.',
    doc: '`-e NODE_ENV=production -e DEBUG=0`. Applied in every worker before the app loads.',
  },
  pidfile: {
    aliases: ['pidFile'],
    gunicorn: 'pidfile',
    flags: ['-p', '--pid'],
    section: 'Server mechanics',
    type: 'string',
    metavar: 'FILE',
    nullable: true,
    default: null,
    short: 'Write the arbiter\'s pid to this file.',
    doc: 'Startup fails if the file names a running process. The file is removed on exit.',
  },
  controlSocket: {
    gunicorn: 'control_socket',
    flags: ['--control-socket'],
    section: 'Server mechanics',
    type: 'string',
    metavar: 'PATH',
    default: defaultControlSocket,
    defaultText: '$XDG_RUNTIME_DIR/narwhal.ctl when that directory exists, else ~/.narwhal/narwhal.ctl',
    short: 'The unix socket `narwhal ctl` and `narwhal status` talk to.',
    doc: "The arbiter serves [the control commands](control.md) there: `show workers|config|stats|listeners|all`, `worker add|remove|kill`, `reload`, `reopen`, `shutdown`. A relative path is taken from the directory narwhal starts in. The default is Gunicorn 26's place, so one narwhal per user finds it without a flag; a second narwhal of the same user started with the default while the first one runs keeps the first one's socket untouched, logs a warning and runs without one; give each instance its own path (`--control-socket /run/myapp/narwhal.ctl`, and the same flag to `narwhal ctl`). An explicit path that a running narwhal holds, or that cannot be created, stops the start instead; a default place that cannot be created (a read-only home in a container) costs only the socket, with a warning. A socket file left by a narwhal that died is replaced; the socket is removed on exit. Read at start: a HUP does not move the socket. A new arbiter started by USR2 serves at `PATH.2` until the old one exits, then renames it to PATH, as the pid file moves.",
  },
  controlSocketMode: {
    gunicorn: 'control_socket_mode',
    flags: ['--control-socket-mode'],
    section: 'Server mechanics',
    type: 'string',
    metavar: 'MODE',
    default: '0600',
    check: (value) => (parseUmask(value) === undefined ? `'${value}' is not a file mode (0600, 0o600 or 384)` : undefined),
    short: 'The control socket\'s file mode; 0600 lets only its owner in.',
    doc: 'Octal with a leading 0 (`0660`) or `0o`, or decimal; a string in the config file. The mode is the access control, as in Gunicorn: whoever may write to the socket may run every command, `shutdown` included. The socket is created owner-only whatever `--umask` says and only then given this mode, so it is never more open than asked, even for an instant. Node cannot read a unix peer\'s credentials (SO_PEERCRED), so there is no second check: with `0660`, the socket\'s group may steer the server.',
  },
  controlSocketDisable: {
    gunicorn: 'control_socket_disable',
    flags: ['--control-socket-disable'],
    flagAliases: ['--no-control-socket'],
    section: 'Server mechanics',
    type: 'boolean',
    default: false,
    short: 'Serve no control socket; signals still steer the server.',
    doc: "Gunicorn's `--no-control-socket`, which is accepted too. `narwhal ctl` and `narwhal status` then find no server; the signals (HUP, TTIN, TTOU, USR1, TERM, INT) do what the commands do.",
  },
  workerTmpDir: {
    gunicorn: 'worker_tmp_dir',
    flags: ['--worker-tmp-dir'],
    section: 'Server mechanics',
    type: 'string',
    metavar: 'DIR',
    nullable: true,
    default: null,
    defaultText: '/dev/shm when it exists, else the system temp dir',
    short: 'Where the workers\' heartbeat files live.',
    doc: 'Each worker gets an unlinked temporary file whose timestamp it touches to prove it is alive. Keep it on a memory file system: a disk-backed /tmp can stall the touches and get healthy workers killed.',
  },
  procName: {
    gunicorn: 'proc_name',
    flags: ['-n', '--name'],
    section: 'Process naming',
    type: 'string',
    metavar: 'STRING',
    nullable: true,
    default: null,
    defaultText: 'the app',
    short: 'A name for the process titles in ps and top.',
    doc: 'Titles read `narwhal: master [NAME]` and `narwhal: worker [NAME]`.',
  },
  accesslog: {
    aliases: ['accessLog', 'accessLogFile'],
    gunicorn: 'accesslog',
    flags: ['--access-logfile'],
    section: 'Logging',
    type: 'string',
    metavar: 'FILE',
    nullable: true,
    default: null,
    short: 'The access log file; - is stdout. Off by default.',
    doc: 'One line per request in `--access-logformat`. Reopened on USR1, for log rotation.',
  },
  accessLogFormat: {
    gunicorn: 'access_log_format',
    flags: ['--access-logformat'],
    section: 'Logging',
    type: 'string',
    metavar: 'STRING',
    default: '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"',
    short: 'The access log line format, in Gunicorn\'s atoms.',
    doc: 'Atoms: `h` remote address, `l` `-`, `u` user name, `t` date, `r` request line, `m` method, `U` path, `q` query, `H` protocol, `s` status, `B` body bytes, `b` body bytes or `-`, `f` referer, `a` user agent, `T` seconds, `M` milliseconds, `D` microseconds, `L` decimal seconds, `p` pid, `{name}i` request header, `{name}o` response header, `{name}e` a request variable of Gunicorn\'s WSGI environ, case-insensitively (`REQUEST_METHOD`, `RAW_URI`, `PATH_INFO`, `QUERY_STRING`, `SCRIPT_NAME`, `SERVER_PROTOCOL`, `REMOTE_ADDR`, `REMOTE_PORT`, `SERVER_NAME`, `SERVER_PORT`, `SERVER_SOFTWARE`, `CONTENT_TYPE`, `CONTENT_LENGTH`, `HTTP_*` request headers, `wsgi.url_scheme`), and for any other name the worker\'s environment variable (Node has no per-request environ; Gunicorn prints `-` for those); other `wsgi.*` keys have no Node meaning and print `-`. Durations are truncated to whole units, as in Gunicorn. Values are escaped so that a line stays one line.',
  },
  errorlog: {
    aliases: ['errorLog', 'errorLogFile'],
    gunicorn: 'errorlog',
    flags: ['--error-logfile', '--log-file'],
    section: 'Logging',
    type: 'string',
    metavar: 'FILE',
    default: '-',
    short: 'The error log file; - is stderr.',
    doc: 'Arbiter and worker events. Reopened on USR1.',
  },
  loglevel: {
    gunicorn: 'loglevel',
    flags: ['--log-level'],
    section: 'Logging',
    type: 'enum',
    values: ['debug', 'info', 'warning', 'error', 'critical'],
    metavar: 'LEVEL',
    default: 'info',
    short: 'The error log level.',
    doc: 'One of debug, info, warning, error, critical.',
  },
  logFormat: {
    gunicorn: null,
    flags: ['--log-format'],
    section: 'Logging',
    type: 'enum',
    values: ['text', 'json'],
    metavar: 'text|json',
    default: 'text',
    short: 'The error log format: Gunicorn\'s text lines or JSON.',
    doc: '`text` writes `[2026-01-01 12:00:00 +0000] [PID] [INFO] message` like Gunicorn; `json` writes one pino JSON object per line for log shippers.',
  },
  captureOutput: {
    gunicorn: 'capture_output',
    flags: ['--capture-output'],
    section: 'Logging',
    type: 'boolean',
    default: false,
    short: "Send the workers' stdout and stderr to the error log.",
    doc: "What the app writes to stdout and stderr (`console.log`, a child process that inherits them, a native module) goes to the error log file, as in Gunicorn, raw, between its formatted lines; with `--error-logfile -` it goes to stderr. Each worker is spawned with the file as its stdout and stderr, so nothing is copied and the app pays nothing for it. After USR1 (log rotation) the workers' own log lines go to the new file at once, and what the app prints follows once they are replaced (HUP, or rotate with `copytruncate`): Node cannot replace a running process's stdout as Gunicorn's `dup2` does.",
  },
  syslog: {
    gunicorn: 'syslog',
    flags: ['--log-syslog'],
    section: 'Logging',
    type: 'boolean',
    default: false,
    short: 'Send the error log, and the access log, to syslog as well.',
    doc: "Every line of the error log also goes to `--log-syslog-to`, from the process that logs it (the arbiter, each worker), framed as Gunicorn frames it: `<PRI>narwhal.PREFIX.error: [PID] message` and a NUL byte, PRI being the facility × 8 plus the level's severity (critical 2, error 3, warning 4, info 6, debug 7); the syslog daemon adds the time and the host. As in Gunicorn, the access log goes there too, tagged `narwhal.PREFIX.access` at info, even without `--access-logfile`, unless `--disable-redirect-access-to-syslog`. A line that cannot be sent is dropped, and the first failure is said once on stderr.",
  },
  syslogAddr: {
    gunicorn: 'syslog_addr',
    flags: ['--log-syslog-to'],
    section: 'Logging',
    type: 'string',
    metavar: 'SYSLOG_ADDR',
    default: 'udp://localhost:514',
    check: checkSyslogAddress,
    short: 'Where syslog lines go: udp://HOST:PORT, tcp://HOST:PORT or unix://PATH.',
    doc: "`udp://HOST[:PORT]` and `tcp://HOST[:PORT]` (port 514 when left out; `[::1]` for IPv6), or `unix://PATH` for a unix stream socket (`#stream` may follow, as in Gunicorn). Node cannot send to a unix datagram socket, so `unix://PATH#dgram` is refused: point it at rsyslog's UDP input (`udp://localhost:514`), or a stream socket. /dev/log under systemd-journald is a datagram socket.",
  },
  syslogPrefix: {
    gunicorn: 'syslog_prefix',
    flags: ['--log-syslog-prefix'],
    section: 'Logging',
    type: 'string',
    metavar: 'SYSLOG_PREFIX',
    nullable: true,
    default: null,
    defaultText: 'the process name',
    short: 'The middle of the syslog tag: narwhal.PREFIX.error.',
    doc: "Without it, the process name (`--name`, else the APP argument) with `:` turned into `.`, as Gunicorn does.",
  },
  syslogFacility: {
    gunicorn: 'syslog_facility',
    flags: ['--log-syslog-facility'],
    section: 'Logging',
    type: 'enum',
    values: Object.keys(SYSLOG_FACILITIES),
    metavar: 'SYSLOG_FACILITY',
    default: 'user',
    short: 'The syslog facility: user, daemon, local0 … local7, and the others of Gunicorn.',
    doc: 'One of auth, authpriv, cron, daemon, ftp, kern, lpr, mail, news, security, syslog, user, uucp, local0 to local7.',
  },
  disableRedirectAccessToSyslog: {
    gunicorn: 'disable_redirect_access_to_syslog',
    flags: ['--disable-redirect-access-to-syslog'],
    section: 'Logging',
    type: 'boolean',
    default: false,
    short: 'With --log-syslog, keep the access log out of syslog.',
    doc: 'The access log then goes only to `--access-logfile`, and is off when that is not set.',
  },
  statsdHost: {
    gunicorn: 'statsd_host',
    flags: ['--statsd-host'],
    section: 'Logging',
    type: 'string',
    metavar: 'STATSD_ADDR',
    nullable: true,
    default: null,
    check: checkStatsdAddress,
    short: "Send Gunicorn's statsd metrics to this UDP address, HOST:PORT.",
    doc: "`HOST:PORT`, `HOST` (port 8125) or `[::1]:PORT`. The arbiter sends Gunicorn's metrics, with Gunicorn's names and types (`gunicorn.requests`, `gunicorn.request.duration`, `gunicorn.request.status.<code>`, `gunicorn.workers`, `gunicorn.log.*`, and `gunicorn.backlog` with `--enable-backlog-metric`), so existing dashboards keep working; [metrics.md](metrics.md) lists them. Each worker counts its requests in plain counters and reports to the arbiter once a second, which sends few datagrams of at most 1400 bytes: a request never waits for statsd, and a datagram that cannot be sent is dropped. So counts arrive within about a second, and `gunicorn.request.duration` is a sample of up to 256 durations per worker and second, sent with its sample rate (`|@0.25`). Gunicorn also takes `unix://PATH`, a unix datagram socket: node:dgram has none, so that form is refused; point it at the server's UDP port (statsd_exporter and the Datadog agent listen on 8125).",
  },
  statsdPrefix: {
    gunicorn: 'statsd_prefix',
    flags: ['--statsd-prefix'],
    section: 'Logging',
    type: 'string',
    metavar: 'STATSD_PREFIX',
    default: '',
    short: 'A prefix for every statsd metric name (a trailing . is added).',
    doc: "As in Gunicorn: `--statsd-prefix app` sends `app.gunicorn.requests`; a trailing `.` is added when missing.",
  },
  dogstatsdTags: {
    gunicorn: 'dogstatsd_tags',
    flags: ['--dogstatsd-tags'],
    section: 'Logging',
    type: 'string',
    metavar: 'DOGSTATSD_TAGS',
    default: '',
    short: 'DogStatsD tags for every statsd metric: tag1:value1,tag2:value2.',
    doc: 'Appended to every statsd line as `|#tag1:value1,tag2:value2`, the DogStatsD datagram format, as Gunicorn does.',
  },
  enableBacklogMetric: {
    gunicorn: 'enable_backlog_metric',
    flags: ['--enable-backlog-metric'],
    section: 'Logging',
    type: 'boolean',
    default: false,
    short: "Send the listeners' accept queue length as gunicorn.backlog (Linux).",
    doc: "Once a second the arbiter sends `gunicorn.backlog` (a histogram, as in Gunicorn), the number of connections the kernel accepted that no worker took yet, summed over the TCP listeners, and serves it as `narwhal_listen_backlog` with `--metrics-bind`. Gunicorn reads it with getsockopt(TCP_INFO), which Node cannot call; the same kernel figure (the listening socket's `sk_ack_backlog`) is the `rx_queue` column of /proc/net/tcp and /proc/net/tcp6 for a socket in the LISTEN state, which is read instead, matched by the listeners' addresses (so `-k uws`'s own SO_REUSEPORT sockets count too). Linux only, as in Gunicorn: elsewhere, and for unix sockets, nothing is sent.",
  },
  metricsBind: {
    gunicorn: null,
    flags: ['--metrics-bind'],
    section: 'Logging',
    type: 'string',
    metavar: 'ADDRESS',
    nullable: true,
    default: null,
    check: checkMetricsBind,
    short: 'Serve Prometheus metrics, /healthz and /readyz at this HOST:PORT.',
    doc: "The arbiter listens there (a listener of its own, apart from the app's) and answers `GET /metrics` in the Prometheus text format (prom-client, loaded only when this is set), `/healthz` (200 while the arbiter runs) and `/readyz` (200 while at least one worker serves and the server is not stopping, else 503). The metrics are per worker, labelled with its `pid` and `worker_class`: requests by status class, a request-duration histogram, requests in flight, open connections, event-loop lag and utilisation, heap and RSS; plus worker restarts by reason. Workers report once a second. [metrics.md](metrics.md) lists every metric and a scrape config. Written as `--bind` is (`127.0.0.1:9100`, `[::1]:9100`, port 0 for any); a unix socket is not taken. Keep it on a private address: it is not authenticated.",
  },
  limitRequestLine: {
    gunicorn: 'limit_request_line',
    flags: ['--limit-request-line'],
    section: 'Security',
    type: 'int',
    metavar: 'INT',
    min: 0,
    default: 4094,
    short: 'The maximum size of the request line in bytes (0: unlimited, at most 8190).',
    doc: 'A longer request line is answered `414 URI Too Long` on every worker class (Gunicorn answers 400). As in Gunicorn, a value above 8190 means 8190, and 0 means unlimited, which is 1 MiB here as in Gunicorn\'s C parser (node:http needs a bound for the whole head).',
  },
  limitRequestFields: {
    gunicorn: 'limit_request_fields',
    flags: ['--limit-request-fields'],
    section: 'Security',
    type: 'int',
    metavar: 'INT',
    min: 0,
    default: 100,
    short: 'The maximum number of header fields in a request (at most 32768).',
    doc: 'More fields are answered `431 Request Header Fields Too Large` on every worker class (Gunicorn answers 400). As in Gunicorn, 0 and values above 32768 mean 32768.',
  },
  limitRequestFieldSize: {
    gunicorn: 'limit_request_field_size',
    flags: ['--limit-request-field-size'],
    flagAliases: ['--limit-request-field_size'],
    section: 'Security',
    type: 'int',
    metavar: 'INT',
    min: 0,
    default: 8190,
    short: 'The maximum size of one header field in bytes (0: 8190).',
    doc: 'A larger field line (`name: value`, the colon and one space counted) is answered `431 Request Header Fields Too Large` on every worker class (Gunicorn answers 400). Gunicorn\'s own spelling `--limit-request-field_size` is accepted. 0 means 8190: Gunicorn\'s documentation says unlimited, but its parser uses 8190, and so does Narwhal.',
  },
  daemon: {
    gunicorn: 'daemon',
    flags: ['-D', '--daemon'],
    section: 'Server mechanics',
    type: 'boolean',
    default: false,
    short: 'Detach from the terminal and run in the background.',
    doc: 'The command starts the arbiter as a new background process (its own session, stdin, stdout and stderr on /dev/null unless `--enable-stdio-inheritance`) and exits 0 at once; give `--pid` to find it and `--error-logfile` to see what it says. Node cannot fork, so the daemon is a fresh process that reads the settings again, as Gunicorn\'s double fork does not. Under systemd, Docker or Kubernetes, leave it off: they expect the server in the foreground.',
  },
  enableStdioInheritance: {
    gunicorn: 'enable_stdio_inheritance',
    flags: ['-R', '--enable-stdio-inheritance'],
    section: 'Server mechanics',
    type: 'boolean',
    default: false,
    short: 'With --daemon, keep stdout and stderr instead of /dev/null.',
    doc: 'In daemon mode the arbiter and its workers keep the stdout and stderr of the command that started them (Gunicorn: stdio inheritance). Without `--daemon` they always do.',
  },
  user: {
    gunicorn: 'user',
    flags: ['-u', '--user'],
    section: 'Server mechanics',
    type: 'string',
    metavar: 'USER',
    nullable: true,
    default: null,
    defaultText: 'the user narwhal runs as',
    short: 'Run the workers as this user (a name or a uid).',
    doc: 'The arbiter binds the sockets (port 80 included) and keeps running as root, so that HUP and USR2 can bind again; each worker switches to this user before it loads the app (heartbeat files and unix sockets are given to it). The app\'s files must be readable by it. Set while narwhal does not run as root: one line and exit 2.',
  },
  group: {
    gunicorn: 'group',
    flags: ['-g', '--group'],
    section: 'Server mechanics',
    type: 'string',
    metavar: 'GROUP',
    nullable: true,
    default: null,
    defaultText: "the user's primary group",
    short: 'Run the workers under this group (a name or a gid).',
    doc: 'See `user`. Without it, the workers run under the primary group of `--user`.',
  },
  umask: {
    gunicorn: 'umask',
    flags: ['-m', '--umask'],
    section: 'Server mechanics',
    type: 'string',
    metavar: 'INT',
    default: '0',
    check: (value) => (parseUmask(value) === undefined ? `'${value}' is not a file mode mask (022, 0o22 or 18)` : undefined),
    short: 'The file mode creation mask of the arbiter and the workers.',
    doc: 'Octal with a leading 0 (`022`) or `0o` (`0o22`), or decimal (`18`); a string in the config file. It applies to every file narwhal and the app create: unix sockets, the pid file, log files. Gunicorn\'s default is 0, and so is Narwhal\'s: unix sockets are then writable by anyone, so set it (or put them in a protected directory) on shared machines.',
  },
  initgroups: {
    gunicorn: 'initgroups',
    flags: ['--initgroups'],
    section: 'Server mechanics',
    type: 'boolean',
    default: false,
    short: "Give the workers the supplementary groups of --user.",
    doc: 'With `--user`, workers get every group the user belongs to (initgroups(3)), not only `--group`. Without it they keep none but `--group`.',
  },
  forwardedAllowIps: {
    gunicorn: 'forwarded_allow_ips',
    flags: ['--forwarded-allow-ips'],
    section: 'Server mechanics',
    type: 'list',
    metavar: 'ADDRESSES',
    env: 'FORWARDED_ALLOW_IPS',
    default: (): string[] => ['127.0.0.1', '::1'],
    defaultText: "['127.0.0.1', '::1']",
    check: checkAllowList,
    short: 'Proxies whose forwarded headers are believed: addresses, CIDR blocks, or *.',
    doc: 'A comma-separated list (or a repeated flag, or a list in the config file) of the peers allowed to say who the client is and whether it came over https; `*` trusts every peer (only when nothing but the proxy can reach Narwhal). Peers on a unix socket are trusted, as in Gunicorn. From a trusted peer, the client is read from `X-Forwarded-For` (else `Forwarded: for=`) from the right, skipping addresses this list trusts, so a client cannot forge it through a proxy that appends (nginx\'s `$proxy_add_x_forwarded_for`); the scheme comes from `secureSchemeHeaders` (else `Forwarded: proto=`). A Node request listener then sees the client in `req.socket.remoteAddress` and https as `req.socket.encrypted === true` (what Express\'s `req.ip`, `req.protocol` and `req.secure`, Koa\'s `ctx.ip` and `ctx.protocol` and Fastify\'s `request.ip` read without their own trust-proxy setting); a Fetch handler sees the scheme in `request.url`, whose host is the Host field (have the proxy pass it: `proxy_set_header Host $host`). The access log\'s `%(h)s` is that client too (Gunicorn logs the proxy). The headers themselves reach the app unchanged, from any peer: an app that reads `X-Forwarded-For` itself must do its own checking. Gunicorn applies the list to the scheme only and leaves the client address to the app. As in Gunicorn, the same peers alone may speak h2c (`http2Cleartext`).',
  },
  secureSchemeHeaders: {
    gunicorn: 'secure_scheme_headers',
    flags: [],
    section: 'Server mechanics',
    type: 'map',
    default: (): Record<string, string> => ({ 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' }),
    defaultText: "{ 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' }",
    short: 'Headers, and their values, by which a trusted proxy says a request came over https.',
    doc: 'An object in the config file, header name (any case) to value, as in Gunicorn. From a peer in `forwardedAllowIps`, a listed header with its value means https and with another value http; listed headers that disagree are answered `400 Bad Request`, as in Gunicorn. From any other peer they mean nothing.',
  },
  proxyProtocol: {
    gunicorn: 'proxy_protocol',
    flags: ['--proxy-protocol'],
    section: 'Server mechanics',
    type: 'enum',
    values: ['off', 'v1', 'v2', 'auto'],
    valueWhenBare: 'auto',
    metavar: '[off|v1|v2|auto]',
    default: 'off',
    short: 'Read a PROXY protocol header (HAProxy, nginx, AWS NLB) before each connection: v1, v2, or auto (either; the bare flag).',
    doc: "Every connection on every listener must start with a PROXY protocol header from a peer in `proxyAllowIps`: `v1` (text), `v2` (binary; a LOCAL command, such as a proxy's health check, keeps the connection's own address; TLVs are skipped) or `auto` (either), as Gunicorn's setting; `true` in a config file means `auto`. The header's client address and port become the request's remote address: `req.socket.remoteAddress` and `remotePort` for a Node request listener (so Express's `req.ip`), the access log's `%(h)s`, and the hooks' request. A Fetch handler, whose `Request` has no client address, sees it in the access log only. The header comes before anything else, TLS included (with `--certfile`, as HAProxy's `send-proxy` and nginx's `proxy_protocol on` send it), and only once: a keep-alive request after it is HTTP. A connection from another peer is answered `403 Forbidden` and closed, as in Gunicorn; one whose first bytes are no valid header, including one with none (the protocol forbids guessing, so, unlike Gunicorn, a plain request is not served), is answered `400 Bad Request` and closed; with TLS, both are closed without an answer, since the client expects a handshake. A header not complete within `--header-timeout` of the accept closes the connection. `-k sync`, `gthread` and `async` read it; `-k uws` refuses any value but `off` at startup, since uWebSockets.js's own parser, the only way in, would take a header at the start of every request on a connection (a client behind a TCP balancer could name any address) and never completes one with more than 36 bytes of addresses and TLVs. See [deployment.md](deployment.md#proxy-protocol).",
  },
  proxyAllowIps: {
    gunicorn: 'proxy_allow_ips',
    flags: ['--proxy-allow-from'],
    section: 'Server mechanics',
    type: 'list',
    metavar: 'ADDRESSES',
    default: (): string[] => ['127.0.0.1', '::1'],
    defaultText: "['127.0.0.1', '::1']",
    check: checkAllowList,
    short: 'Peers allowed to send a PROXY protocol header: addresses, CIDR blocks, or *.',
    doc: 'With `proxyProtocol`, the load balancers that may connect: a comma-separated list (or a repeated flag, or a list in the config file) of addresses and CIDR blocks, or `*` for any peer (only when nothing but the proxy can reach Narwhal). A connection from any other peer is answered `403 Forbidden` (closed without an answer on a TLS listener). Peers on a unix socket are allowed, as in Gunicorn.',
  },
  httpProtocols: {
    gunicorn: 'http_protocols',
    flags: ['--http-protocols'],
    section: 'HTTP/2',
    type: 'list',
    metavar: 'h1,h2',
    default: (): string[] => ['h1'],
    defaultText: "['h1']",
    check: checkHttpProtocols,
    short: 'The HTTP versions served: h1, and h2 (over TLS by ALPN, or cleartext with --http2-cleartext).',
    doc: "A comma-separated list, as Gunicorn's. With `h2` and `--certfile`, a client that offers HTTP/2 by ALPN gets it (h2 is preferred) and any other HTTP/1.1, on the same port; `h2` alone closes a TLS connection that did not choose it. Without `--certfile`, `h2` needs `--http2-cleartext prior-knowledge`. `-k async` serves HTTP/2; `sync`, `gthread` and `uws` refuse `h2` at startup (uWebSockets.js has no HTTP/2; sync and gthread hold one connection per request or thread, which an HTTP/2 connection's many streams do not fit; Gunicorn's sync worker falls back to HTTP/1.1 with a warning). Both app contracts see an HTTP/2 request as an HTTP/1.1 one: its method, path, headers (without the pseudo-headers; `host` from `:authority`) and body; `req.httpVersion` is `2.0`, and so is the access log's `%(H)s`. `h3` is reserved by Gunicorn and not served. See [http2.md](http2.md).",
  },
  http2Cleartext: {
    gunicorn: 'http2_cleartext',
    flags: ['--http2-cleartext'],
    section: 'HTTP/2',
    type: 'enum',
    values: ['off', 'prior-knowledge', 'upgrade', 'both'],
    metavar: 'off|prior-knowledge',
    default: 'off',
    check: (value) => (value === 'upgrade' || value === 'both' ? `'${value}': the HTTP/1.1 Upgrade to h2c is not served (Gunicorn does not wire it either); use prior-knowledge` : undefined),
    short: 'h2c: serve HTTP/2 without TLS to clients that start with its preface (prior-knowledge).',
    doc: "With `prior-knowledge` (and `h2` in `httpProtocols`), a cleartext connection that starts with HTTP/2's 24-byte preface is served HTTP/2, and any other HTTP/1.1, on the same port: the first bytes are looked at once. For a proxy that speaks h2c to its upstreams (Envoy, HAProxy's `proto h2`). `upgrade` (the HTTP/1.1 `Upgrade: h2c` dance) is refused, as Gunicorn accepts it without serving it. As in Gunicorn, only the peers of `forwardedAllowIps` may speak h2c; another's preface is answered as a bad HTTP/1.1 request.",
  },
  http2MaxConcurrentStreams: {
    gunicorn: 'http2_max_concurrent_streams',
    flags: ['--http2-max-concurrent-streams'],
    section: 'HTTP/2',
    type: 'int',
    metavar: 'INT',
    default: 100,
    min: 1,
    max: 2 ** 32 - 1,
    short: 'The most streams (requests) one HTTP/2 connection may have open at once.',
    doc: 'Sent in the SETTINGS frame; a client opening more is refused the extra streams. Every stream counts towards `maxRequests`.',
  },
  http2InitialWindowSize: {
    gunicorn: 'http2_initial_window_size',
    flags: ['--http2-initial-window-size'],
    section: 'HTTP/2',
    type: 'int',
    metavar: 'BYTES',
    default: 65535,
    min: 0,
    max: 2 ** 31 - 1,
    short: "Each stream's initial flow-control window: how much request body a client may send before the app reads.",
    doc: "HTTP/2's SETTINGS_INITIAL_WINDOW_SIZE; larger windows speed up uploads over long round trips at the cost of memory per stream.",
  },
  http2MaxFrameSize: {
    gunicorn: 'http2_max_frame_size',
    flags: ['--http2-max-frame-size'],
    section: 'HTTP/2',
    type: 'int',
    metavar: 'BYTES',
    default: 16384,
    min: 16384,
    max: 16777215,
    short: 'The largest HTTP/2 frame payload the server accepts (16384 to 16777215).',
    doc: "HTTP/2's SETTINGS_MAX_FRAME_SIZE.",
  },
  http2MaxHeaderListSize: {
    gunicorn: 'http2_max_header_list_size',
    flags: ['--http2-max-header-list-size'],
    section: 'HTTP/2',
    type: 'int',
    metavar: 'BYTES',
    default: 65536,
    min: 0,
    max: 2 ** 32 - 1,
    short: "The largest decoded header list of an HTTP/2 request (0: no limit beyond --limit-request-*).",
    doc: "HTTP/2's SETTINGS_MAX_HEADER_LIST_SIZE: the names and values of a request's fields, plus 32 bytes each. A larger list resets the stream. `limitRequestLine`, `limitRequestFields` and `limitRequestFieldSize` apply too, as on HTTP/1.1.",
  },
  permitObsoleteFolding: {
    gunicorn: 'permit_obsolete_folding',
    flags: ['--permit-obsolete-folding'],
    section: 'Security',
    type: 'boolean',
    default: false,
    short: 'Accept header fields continued on the next line (obs-fold). No built-in class can.',
    doc: 'Gunicorn joins an obsolete line folding (a field line starting with a space or tab continues the previous value) with a space instead of answering 400. No built-in worker class can honour it, so with any of them narwhal refuses to start, in one line naming the class: node:http\'s parser (llhttp) refuses obs-fold before any JavaScript runs, and its one lenient mode (`insecureHTTPParser`) would also accept bare CR and LF line ends, which a proxy may read differently (request smuggling); uWebSockets.js answers 400 itself. [http-conformance.md](http-conformance.md#leniency-switches) has the table.',
  },
  stripHeaderSpaces: {
    gunicorn: 'strip_header_spaces',
    flags: ['--strip-header-spaces'],
    section: 'Security',
    type: 'boolean',
    default: false,
    short: 'Accept whitespace between a field name and its colon (unsafe). No built-in class can.',
    doc: 'Gunicorn strips spaces before the colon of a field line (`Name : value`) instead of answering 400; it calls the setting unsafe and deprecated. Both engines refuse such a line before any JavaScript runs (llhttp even in its lenient mode, uWebSockets.js always), so with every built-in worker class narwhal refuses to start, in one line naming the class.',
  },
  permitUnconventionalHttpMethod: {
    gunicorn: 'permit_unconventional_http_method',
    flags: ['--permit-unconventional-http-method'],
    section: 'Security',
    type: 'boolean',
    default: false,
    short: 'Serve any method that is a token, not only the ones Node knows (uws only).',
    doc: 'By default a method that is a token but not one of Node\'s `http.METHODS` (case-sensitive: `get`, `FOO`, `-blargh`) is answered `501 Not Implemented`, which is stricter than Gunicorn (it serves 3 to 20 upper-case characters without `#`). With this switch such a method reaches the app as sent, as with Gunicorn\'s switch; a method that is not a token is still 400. `-k uws` honours it. node:http\'s parser (llhttp) accepts only its fixed list of methods and refuses any other before JavaScript runs, so with `sync`, `gthread` and `async` narwhal refuses to start, in one line naming the class.',
  },
  permitUnconventionalHttpVersion: {
    gunicorn: 'permit_unconventional_http_version',
    flags: ['--permit-unconventional-http-version'],
    section: 'Security',
    type: 'boolean',
    default: false,
    short: 'Serve HTTP versions other than 1.0 and 1.1. No built-in class can.',
    doc: 'Gunicorn serves any `HTTP/d.d` with this switch; Narwhal answers `505` to a well-formed version other than 1.0 and 1.1. No built-in worker class can honour it, so narwhal refuses to start, in one line naming the class: llhttp in node:http refuses every version but 0.9, 1.0, 1.1 and 2.0 before JavaScript runs (its lenient mode would accept the others, with bare line ends and other smuggling shapes), and uWebSockets.js serves HTTP/1.1 only.',
  },
  casefoldHttpMethod: {
    gunicorn: 'casefold_http_method',
    flags: ['--casefold-http-method'],
    section: 'Security',
    type: 'boolean',
    default: false,
    short: 'Upper-case the method of a request before the app sees it.',
    doc: 'As in Gunicorn, the method is upper-cased once it has been accepted, so it matters together with `--permit-unconventional-http-method` (`-blargh` reaches the app as `-BLARGH`); on its own a lower-case `get` is still refused (501), as Gunicorn refuses it. `-k uws` honours it. On `sync`, `gthread` and `async` it is accepted and changes nothing: the methods node:http\'s parser accepts are upper-case already.',
  },
  certfile: {
    gunicorn: 'certfile',
    flags: ['--certfile'],
    section: 'SSL',
    type: 'string',
    metavar: 'FILE',
    nullable: true,
    default: null,
    short: 'The TLS certificate file (PEM); setting it serves HTTPS.',
    doc: 'A PEM file with the server certificate, then any intermediate certificates (the chain the client needs). With it, every `--bind` address speaks HTTPS on every worker class: node:tls for `sync`, `gthread` and `async`, uWebSockets.js\'s SSL app for `uws`; a Node request listener sees `req.socket.encrypted === true`, a Fetch handler an `https:` `request.url`, and the access log the `https` scheme. The arbiter reads the files and builds a secure context once before any worker starts, so a missing file, an unreadable or encrypted key, or a key that does not match the certificate stops narwhal with one line naming the file (exit 2), as `--check-config` does; each new worker reads the files again, so HUP serves a renewed certificate without a restart (a renewal that leaves a mismatched pair on disk fails the reload in one line, and the current workers keep serving). The files are read before the workers switch to `--user`, so they may stay readable by root only. See [tls.md](tls.md).',
  },
  keyfile: {
    gunicorn: 'keyfile',
    flags: ['--keyfile'],
    section: 'SSL',
    type: 'string',
    metavar: 'FILE',
    nullable: true,
    default: null,
    defaultText: 'the key in --certfile',
    short: 'The TLS private key file (PEM).',
    doc: 'The private key of `--certfile`, unencrypted PEM (an encrypted key needs its `passphrase` from the `sslContext` hook). Without it, the key is read from `--certfile`, as in Gunicorn. Without `--certfile` it is an error.',
  },
  caCerts: {
    gunicorn: 'ca_certs',
    flags: ['--ca-certs'],
    section: 'SSL',
    type: 'string',
    metavar: 'FILE',
    nullable: true,
    default: null,
    defaultText: "Node's bundled root certificates",
    short: 'The CA certificates (PEM) that client certificates are verified against.',
    doc: 'Used with `--cert-reqs 1` or `2`: a client certificate must be issued by one of these. Without it, Node\'s bundled root certificates are used (Gunicorn: the system\'s defaults). Without `--certfile` it is an error.',
  },
  certReqs: {
    gunicorn: 'cert_reqs',
    flags: ['--cert-reqs'],
    section: 'SSL',
    type: 'int',
    metavar: '0|1|2',
    min: 0,
    max: 2,
    default: 0,
    short: 'Client certificates: 0 not asked, 1 optional, 2 required (ssl.CERT_* numbers).',
    doc: 'Gunicorn\'s values, Python\'s `ssl.CERT_NONE`, `CERT_OPTIONAL` and `CERT_REQUIRED`. `0`: none is asked for. `1`: one is asked for; a client may send none, but one that is sent must verify against `--ca-certs`, or the connection is closed before any request is read (Python\'s CERT_OPTIONAL fails the handshake). `2`: a client without a certificate that verifies is refused during the handshake. `-k uws` honours `1` with `--ca-certs` (uWebSockets.js verifies a certificate that is sent, against those CAs only) and refuses `2` at startup: uWebSockets.js lets a client that sends none through and cannot tell the app. An app reads the verified certificate with `req.socket.getPeerCertificate()` (Node listener on `sync`, `async`). Without `--certfile` a non-zero value is an error.',
  },
  sslVersion: {
    gunicorn: 'ssl_version',
    flags: ['--ssl-version'],
    section: 'SSL',
    type: 'string',
    metavar: 'VERSION',
    default: 'TLS_SERVER',
    defaultText: "TLS_SERVER (Node's minimum: TLSv1.2)",
    check: sslVersionProblem,
    short: 'The oldest TLS version offered: TLSv1_2 or TLSv1_3 (Gunicorn\'s names).',
    doc: 'Gunicorn passes a Python `ssl.PROTOCOL_*` name or number (here a string, in the config file too; `PROTOCOL_TLSv1_2` and `ssl.PROTOCOL_TLSv1_2` are read as `TLSv1_2`); Narwhal takes it as the minimum TLS version the server accepts (Node negotiates the newest both sides speak, up to TLS 1.3). `TLSv1_2` (or `5`) and `TLSv1_3` (also `TLSv1.2`, `TLSv1.3`): that version or newer. `TLS_SERVER` (`17`, the default), `TLS` and `SSLv23` (`2`): Node\'s default minimum, TLS 1.2. `TLSv1` (`3`) and `TLSv1_1` (`4`) are accepted as minimums, but OpenSSL 3 in Node refuses those versions at its default security level unless `--ciphers` ends with `:@SECLEVEL=0`. `SSLv2`, `SSLv3` and `TLS_CLIENT` are refused: Node has no SSL, and a client method cannot serve. Python\'s `PROTOCOL_TLSv1_2` meant exactly that version; Gunicorn 21 and later ignore the setting (use `sslContext`), and `maxVersion` in the `sslContext` hook caps the version here. `-k uws` offers TLS 1.2 and 1.3 and cannot raise the minimum, so it refuses `TLSv1_3` and the versions below 1.2 at startup.',
  },
  ciphers: {
    gunicorn: 'ciphers',
    flags: ['--ciphers'],
    section: 'SSL',
    type: 'string',
    metavar: 'CIPHERS',
    nullable: true,
    default: null,
    defaultText: "Node's default cipher list",
    short: 'The TLS cipher suites, in OpenSSL\'s cipher list format.',
    doc: 'An OpenSSL cipher list (`ECDHE+AESGCM:!aNULL`), as in Gunicorn; TLS 1.3 suites are named by their `TLS_` names in the same list (Node\'s `ciphers` option). An unknown cipher list stops narwhal with one line. Without it, Node\'s default list (`tls.DEFAULT_CIPHERS`).',
  },
  doHandshakeOnConnect: {
    gunicorn: 'do_handshake_on_connect',
    flags: ['--do-handshake-on-connect'],
    section: 'SSL',
    type: 'boolean',
    default: false,
    short: 'Accepted for Gunicorn compatibility; Node always handshakes at accept.',
    doc: 'In Python it decides whether `wrap_socket` performs the handshake at once or on the first read. node:tls and uWebSockets.js begin the handshake as soon as a connection is accepted, whatever it says, and never run the app before it is over. What Gunicorn users want from it, that a client which never completes its handshake cannot hold a worker, holds either way: a connection that has not sent a request head within `--header-timeout` of its accept, handshake included, is closed, and `sync` keeps accepting other connections meanwhile.',
  },
  websocketMaxPayload: {
    gunicorn: null,
    flags: ['--websocket-max-payload'],
    section: 'WebSockets',
    type: 'int',
    metavar: 'BYTES',
    min: 1,
    default: 16 * 1024 * 1024,
    short: 'The largest WebSocket message a Fetch app\'s `websocket` handler accepts.',
    doc: 'Applies to the Fetch contract\'s `websocket` handler on `async` and `uws` (apps/docs/websockets.md). A larger message closes its socket with code 1009 (Message Too Big). On `uws` one more than twice this size is cut by uWebSockets.js without a close frame (the client sees 1006), which bounds what a socket buffers at twice this size. Node apps that bring their own WebSocket server (ws, Socket.IO) set their own limit.',
  },
  websocketIdleTimeout: {
    gunicorn: null,
    flags: ['--websocket-idle-timeout'],
    section: 'WebSockets',
    type: 'int',
    metavar: 'SECONDS',
    min: 0,
    max: 960,
    default: 120,
    short: 'Close a WebSocket that has received nothing, not even a pong, for this long (0: never).',
    doc: 'Applies to the Fetch contract\'s `websocket` handler on `async` and `uws`. An idle socket is pinged first, so a live client that answers pings (every browser and `ws` does) stays open however quiet it is; a dead peer is closed between half and the whole of the timeout (`uws` rounds it to its 4-second resolution). The client sees code 1006 (no close frame).',
  },
  websocketCompression: {
    gunicorn: null,
    flags: ['--websocket-compression'],
    section: 'WebSockets',
    type: 'boolean',
    default: false,
    short: 'Offer per-message deflate (RFC 7692) to WebSocket clients.',
    doc: 'Applies to the Fetch contract\'s `websocket` handler on `async` and `uws`. Off by default, as in Bun and ws: compression costs CPU and memory per socket and helps only large, repetitive messages.',
  },
  websocketBackpressureLimit: {
    gunicorn: null,
    flags: ['--websocket-backpressure-limit'],
    section: 'WebSockets',
    type: 'int',
    metavar: 'BYTES',
    min: 1,
    default: 16 * 1024 * 1024,
    short: 'Bytes a WebSocket may have queued for sending before `send()` drops messages.',
    doc: 'Applies to the Fetch contract\'s `websocket` handler on `async` and `uws`. `ws.send()` returns the bytes sent, -1 when the message was queued behind a slow client (wait for `drain`), or 0 when the queue was already past this limit and the message was dropped, as Bun\'s `ServerWebSocket.send` does.',
  },
  onStarting: hook<'onStarting'>('on_starting', 1, 'Called in the arbiter before the listeners are bound.', '`(server) => void`. Throwing stops the server.'),
  onReload: hook<'onReload'>('on_reload', 1, 'Called in the arbiter on HUP.', '`(server) => void`, after the settings were re-read and before new workers are spawned.'),
  whenReady: hook<'whenReady'>('when_ready', 1, 'Called in the arbiter once the listeners are bound.', '`(server) => void`, before the first worker is spawned. Throwing stops the server.'),
  preFork: hook<'preFork'>('pre_fork', 2, 'Called in the arbiter just before a worker is spawned.', '`(server, worker) => void`.'),
  postFork: hook<'postFork'>('post_fork', 2, 'Called in the worker before the worker class and the app load.', '`(server, worker) => void`; `server` is null, since the arbiter is another process.'),
  postWorkerInit: hook<'postWorkerInit'>('post_worker_init', 1, 'Called in the worker after the app loaded.', '`(worker) => void`, just before the worker starts serving.'),
  workerInt: hook<'workerInt'>('worker_int', 1, 'Called in the worker on SIGINT or SIGQUIT.', '`(worker) => void`, before a quick stop.'),
  workerAbort: hook<'workerAbort'>('worker_abort', 1, 'Called in the worker on SIGABRT (a timeout).', '`(worker) => void`. It runs only if the worker\'s event loop still runs (a `sync` request awaiting forever); a blocked loop cannot run it, and gets SIGKILL after its JavaScript stack was written to the error log (see `timeout`).'),
  preRequest: hook<'preRequest'>(
    'pre_request',
    2,
    'Called in the worker before the app sees each request.',
    '`(worker, req) => void`, where `req` is `{ method, uri, path, query, version, headers, remoteAddress }` (`headers`: name, value, name, value… in the order received, names in lower case), the same on every worker class and for both app contracts. Throwing answers `500`, as an app error does, and the app is not called. Requests refused before the app (400, 414, 431…) call neither hook. A returned promise is not awaited. When neither `preRequest` nor `postRequest` is set, the request path does no work for them at all.',
  ),
  postRequest: hook<'postRequest'>(
    'post_request',
    3,
    'Called in the worker after the response to each request is over.',
    '`(worker, req, res) => void`, with `req` as for `preRequest` and `res` as `{ status }`; called for every request that reached `preRequest`, when its response has been sent or its connection closed, whatever the app did. Throwing is logged and ignored. Gunicorn passes `(worker, req, environ, resp)`; Node has no environ, so the response comes third.',
  ),
  sslContext: hook<'sslContext'>(
    'ssl_context',
    2,
    'Adjusts the TLS options before the secure context is built.',
    "`(settings, options) => options`, called where the context is built: in the arbiter once to check it (at start, on HUP, with `--check-config`) and in every worker as it boots, on the options read from the TLS settings: `{ cert, key, ca?, ciphers?, minVersion, requestCert, rejectUnauthorized }` (`cert`, `key`, `ca`: the files' contents as Buffers; `minVersion`: `'TLSv1'` to `'TLSv1.3'`, from `--ssl-version`; `requestCert` and `rejectUnauthorized`: from `--cert-reqs`). Change it in place or return a new object: Node's `tls.createServer` options (`passphrase`, `maxVersion`, `ecdhCurve`, `dhparam`, `honorCipherOrder`, `sessionTimeout`, `sigalgs`…) apply on `sync`, `gthread` and `async`; `-k uws` carries only `cert`, `key`, `ca`, `passphrase`, `ciphers` and the client-certificate choice, and refuses to start, in one line, when the hook sets anything else. It may be async. Gunicorn's hook gets its config and a factory for the default `SSLContext` and returns the context; Node's secure context cannot be adjusted after it is built, so here the hook adjusts what it is built from. Used only with `--certfile`.",
  ),
  childExit: hook<'childExit'>('child_exit', 2, 'Called in the arbiter after a worker exited.', '`(server, worker) => void`.'),
  workerExit: hook<'workerExit'>('worker_exit', 2, 'Called in the worker just before it exits.', '`(server, worker) => void`; `server` is null.'),
  nworkersChanged: hook<'nworkersChanged'>('nworkers_changed', 3, 'Called in the arbiter when the number of workers changes.', '`(server, newValue, oldValue) => void`; `oldValue` is null the first time.'),
  onExit: hook<'onExit'>('on_exit', 1, 'Called in the arbiter just before it exits.', '`(server) => void`.'),
  preExec: hook<'preExec'>('pre_exec', 1, 'Called in the arbiter on USR2, before the new arbiter starts.', '`(server) => void`. Gunicorn runs it in the forked child just before exec; Node cannot fork, so it runs in the old arbiter just before it spawns the new one, which inherits nothing from it but the sockets and the environment narwhal started with.'),
};

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** A record without its key's precise type, for code that treats every setting alike. */
export function specOf(key: SettingKey): SettingSpec<unknown> {
  return (SETTINGS as unknown as Record<SettingKey, SettingSpec<unknown>>)[key];
}

export const HOOK_KEYS = SETTING_KEYS.filter((key) => specOf(key).type === 'hook');

/** Hooks that run inside worker processes, which therefore re-read the config file. */
export const WORKER_HOOK_KEYS = ['postFork', 'postWorkerInit', 'workerInt', 'workerAbort', 'preRequest', 'postRequest', 'workerExit', 'sslContext'] as const;
