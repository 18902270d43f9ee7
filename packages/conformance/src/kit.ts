// Design: what every suite needs to know about the class under test, built once from the
// options a class passes to describeConformance: the `-k` arguments, its declared model
// (keep-alive, refusals, deviations), skips, the kit's own apps, and servers shared by the
// tests that neither stop nor reconfigure them (one start instead of one per test).

import { fileURLToPath } from 'node:url';
import { afterAll, describe } from 'vitest';
import type { Deviation } from './judge-case.js';
import { startNarwhal, type NarwhalProcess } from './start-narwhal.js';

/** A bind form a class may refuse at startup. */
export type BindForm = 'unix' | 'fd';

/** How a class's model meets an app that never answers, or that crashes its process (the `faults` suite). */
export interface FaultModel {
  /**
   * A request the app never answers, served with `--timeout 2`:
   * - `'open'` (default): it stays open, and the worker serves other requests and lives (async, uws);
   * - `'worker-killed'`: `timeout` is each request's deadline: the worker is killed (WORKER TIMEOUT)
   *   and replaced, while a sibling serves (sync, as Gunicorn's);
   * - `'gateway-timeout'`: with `--request-timeout 2` too, the request gets 504 after it, and the
   *   worker serves on (gthread, whose app runs on threads the heartbeat does not watch).
   */
  readonly hang?: 'open' | 'worker-killed' | 'gateway-timeout';
  /**
   * An app that exits its process, or throws from a timer:
   * - `'process'` (default): the worker dies, its exit is logged with its pid (and the stack of an
   *   uncaught exception), it is replaced, and its siblings serve on;
   * - `'thread'`: the app runs in threads of the worker, so only a thread dies: the request gets
   *   500, the stack is logged by the worker's pid, and the worker serves on (gthread).
   */
  readonly crash?: 'process' | 'thread';
}

/** How a worker class describes itself to the kit. */
export interface ConformanceOptions {
  /** The `-k` value: a package name or a path to the class's package or module. */
  readonly workerClass: string;
  /** false for a class that closes the connection after every response, as `sync` (default true). */
  readonly keepAlive?: boolean;
  /** What the class refuses at startup; the kit checks it refuses with one clear line. */
  readonly refuses?: {
    readonly binds?: readonly BindForm[];
    /** true for a class that does not declare `tls: true`: the `tls` suite then checks that `--certfile` is refused. */
    readonly tls?: boolean;
    /** true for a class that does not declare `proxyProtocol: true`: the `proxy-protocol` suite then checks that `--proxy-protocol` is refused. */
    readonly proxyProtocol?: boolean;
    /** true for a class that cannot carry WebSockets: the `websocket` suite then checks its refusals. */
    readonly websockets?: boolean;
  };
  /** Corpus cases (by id) the class ends with a close instead of the corpus's status, and why. */
  readonly deviations?: Readonly<Record<string, Deviation>>;
  /**
   * Suites (by id, see {@link SUITE_IDS}), single tests (`expect-continue/mixed-case`,
   * `large-bodies/echo-node`, `large-bodies/echo-fetch`, `tls/cert-reqs-2`,
   * `tls/handshake-timeout`, `max-requests/keep-alive`, `stop/last-response`,
   * `websocket/handshake-501`) or corpus cases (by id) to skip, with the reason: what the
   * class's model or engine cannot do.
   */
  readonly skip?: Readonly<Record<string, string>>;
  /** More arguments for every server the kit starts (e.g. `['--threads', '4']`). */
  readonly args?: readonly string[];
  /**
   * How many corpus cases run at once, each on its own connection, against the corpus server
   * (`-w 2`). Default 12 (48 missed the 1 s deadlines on a loaded CI machine), or 2 without keep-alive: a class that holds one connection per worker
   * would otherwise queue cases behind one another and blow their 1 s deadlines.
   */
  readonly corpusConcurrency?: number;
  /** A corpus directory to run instead of the kit's own. */
  readonly corpusDir?: string;
  /** What the class does with an app that hangs or crashes (default: the request stays open; the process is replaced). */
  readonly faults?: FaultModel;
}

/** The kit's behaviour suites, in the order they run; skip keys name them. */
export const SUITE_IDS = [
  'boot',
  'app-contracts',
  'corpus',
  'half-close',
  'pipelining',
  'expect-continue',
  'large-bodies',
  'slow-clients',
  'limits',
  'heartbeat-timeout',
  'request-timeout',
  'loop-lag',
  'max-requests',
  'stop',
  'access-log',
  'metrics',
  'status',
  'supervision',
  'refusals',
  'retire-under-load',
  'faults',
  'chaos',
  'fuzz',
  'tls',
  'proxy-protocol',
  'websocket',
] as const;
export type SuiteId = (typeof SUITE_IDS)[number];

const APPS_DIR = fileURLToPath(new URL('../apps/', import.meta.url));

/** The path of one of the apps shipped with the kit (`routes-node.mjs`, `echo-fetch.mjs`…). */
export function kitApp(name: string): string {
  return `${APPS_DIR}${name}`;
}

/** The routes app of each contract: the behaviour suites' server code. */
export const ROUTES_APP = { node: kitApp('routes-node.mjs'), fetch: kitApp('routes-fetch.mjs') } as const;

export interface Kit {
  readonly options: ConformanceOptions;
  /** `-k CLASS` plus the class's extra arguments. */
  readonly classArgs: readonly string[];
  /** `-k CLASS -b 127.0.0.1:0` plus the extra arguments: every server takes an ephemeral port. */
  readonly serverArgs: readonly string[];
  readonly keepAlive: boolean;
  /** The skip reason for a suite or case id, or undefined. */
  skipReason(id: string): string | undefined;
  /**
   * A server running `app` with `-w 2`, started on first use and shared by every test that
   * asks for the same app, stopped after the last suite.
   */
  sharedServer(app: string): Promise<NarwhalProcess>;
}

export function createKit(options: ConformanceOptions): Kit {
  const classArgs = ['-k', options.workerClass, ...(options.args ?? [])];
  const servers = new Map<string, Promise<NarwhalProcess>>();
  afterAll(async () => {
    const started = await Promise.allSettled(servers.values());
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop(2000) : undefined)));
  });
  return {
    options,
    classArgs,
    serverArgs: [...classArgs, '-b', '127.0.0.1:0'],
    keepAlive: options.keepAlive ?? true,
    skipReason: (id) => options.skip?.[id],
    sharedServer(app) {
      let server = servers.get(app);
      if (server === undefined) {
        server = startNarwhal([...classArgs, '-b', '127.0.0.1:0', '-w', '2', app], { lifetime: 'suite' });
        servers.set(app, server);
      }
      return server;
    },
  };
}

/** A suite's describe block, skipped (with its reason in the title) when the class asks. */
export function describeSuite(kit: Kit, id: SuiteId, title: string, body: () => void): void {
  const reason = kit.skipReason(id);
  if (reason === undefined) describe(title, body);
  else describe.skip(`${title} (skipped: ${reason})`, body);
}
