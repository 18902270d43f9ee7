// Design: the main module of every worker process. It owns what Gunicorn's base Worker owns:
// the environment, the process title, signals, the heartbeat timer, the worker-side hooks,
// loading the worker class and the app, the exit codes, and the request count for
// max_requests. Then it hands a WorkerContext to the worker class and waits for a signal.
//   TERM              graceful stop within graceful_timeout, exit 0
//   INT, QUIT         workerInt hook, quick stop, exit 0
//   ABRT              workerAbort hook, exit 1 (the arbiter's timeout; a blocked loop gets KILL,
//                     and its JavaScript stack is logged by the stall watchdog thread)
//   USR1              reopen log files
//   HUP USR2 WINCH TTIN TTOU   ignored (in Gunicorn a stray HUP kills workers)
// Boot failures exit 3 (worker) or 4 (app), after telling the arbiter why over IPC.

import diagnostics_channel from 'node:diagnostics_channel';
import { dropPrivileges } from '../arbiter/privileges.js';
import { describeError } from '../app/describe-error.js';
import { installFastResponse } from '../app/fast-response.js';
import { loadApp } from '../app/load-app.js';
import { refuseUncarriedUpgrades } from '../websocket/refuse-upgrades.js';
import { warmFetchPlatform } from '../app/warm-fetch-platform.js';
import { loadConfigFile } from '../config/load-config-file.js';
import type { Hooks, WorkerView } from '../config/types.js';
import { EXIT, isNarwhalError } from '../errors.js';
import { createAccessLog } from '../log/access-log.js';
import { createLogger } from '../log/create-logger.js';
import { countingLogger } from '../metrics/log-level-counts.js';
import { NO_METRICS } from '../metrics/request-metrics.js';
import { WorkerStatsCollector } from '../metrics/worker-stats.js';
import { LoopLagGuard } from './loop-lag-guard.js';
import type { WorkerContext, WorkerHandle } from './contract.js';
import { HeartbeatWriter } from './heartbeat.js';
import { ConnectionBoard } from './connection-board.js';
import { ModuleGraph } from './module-graph.js';
import { resumeOptimisingCompiler } from './optimising-compiler.js';
import { StallWatchdog } from './stall-watchdog.js';
import { BOOT_ENV, isArbiterMessage, type WorkerBoot, type WorkerToArbiter } from './protocol.js';
import { createRequestHooks } from './request-hooks.js';
import { secureOptions } from '../tls/secure-options.js';
import { importWorkerClass } from './resolve-worker-class.js';

/** How often a worker reports its metrics to the arbiter. */
const STATS_INTERVAL_MS = 1000;

const boot = JSON.parse(process.env[BOOT_ENV] ?? 'null') as WorkerBoot | null;
if (boot === null) {
  process.stderr.write('narwhal: this is the worker entry of narwhal; run `narwhal APP` instead\n');
  process.exit(EXIT.USAGE);
}
delete process.env[BOOT_ENV];
const { settings } = boot;

process.title = `narwhal: worker [${settings.procName ?? settings.app ?? 'narwhal'}]`;
for (const pair of settings.rawEnv) {
  const equals = pair.indexOf('=');
  process.env[pair.slice(0, equals)] = pair.slice(equals + 1);
}
process.chdir(settings.chdir);

const logs = createLogger(settings);
/** Metrics, when statsd or Prometheus is on; otherwise nothing counts anything. */
const stats = settings.statsdHost !== null || settings.metricsBind !== null ? new WorkerStatsCollector() : null;
const log = stats === null ? logs.logger : countingLogger(logs.logger, stats.logLevels);
const accessLog = createAccessLog(settings);
const heartbeat = new HeartbeatWriter(boot.heartbeatFd);
/** Logs where the JavaScript was stuck when the loop blocks past the timeout (the ABRT handler cannot run then); started by the first connection. */
let watchdog: StallWatchdog | null = null;
heartbeat.start(Math.min(1000, Math.max(50, (settings.timeout * 1000) / 4)), () => watchdog?.stamp());

const controller = new AbortController();
const view: WorkerView = { pid: process.pid, age: boot.age, settings: settings as WorkerView['settings'], log };
let hooks: Partial<Hooks> = {};
let handle: WorkerHandle | undefined;
let stopping = false;

/** Resolves once the message is handed to the channel, so an exit right after cannot lose it. */
function send(message: WorkerToArbiter): Promise<void> {
  return new Promise((resolve) => {
    if (process.connected) process.send!(message, undefined, undefined, () => resolve());
    else resolve();
  });
}

async function runHook<K extends 'postFork' | 'postWorkerInit' | 'workerInt' | 'workerAbort' | 'workerExit'>(name: K, ...args: Parameters<Hooks[K]>): Promise<void> {
  const hook = hooks[name] as ((...parameters: unknown[]) => unknown) | undefined;
  if (hook === undefined) return;
  try {
    await hook(...args);
  } catch (error) {
    log.error({ err: error }, `The ${name} hook failed`);
  }
}

/** The metrics report timer, once serving. */
let statsTimer: NodeJS.Timeout | undefined;

async function exit(code: number): Promise<never> {
  heartbeat.stop();
  clearInterval(statsTimer);
  // The last requests' counts, so that a retiring worker's totals are whole.
  if (stats !== null && handle !== undefined) await send(stats.report());
  await runHook('workerExit', null, view);
  accessLog.flush();
  logs.flush();
  process.exit(code);
}

/** Set by the arbiter's `serverStopping` message: the TERM that follows stops the whole server. */
let serverStopping = false;

async function stop(graceful: boolean): Promise<void> {
  if (stopping) {
    if (!graceful) await exit(EXIT.OK);
    return;
  }
  stopping = true;
  controller.abort();
  if (!graceful) await runHook('workerInt', view);
  const limit = graceful ? settings.gracefulTimeout * 1000 : 100;
  setTimeout(() => void exit(EXIT.OK), limit).unref();
  try {
    await handle?.stop({ graceful, serverStopping });
  } catch (error) {
    log.error({ err: error }, 'The worker class failed to stop');
  }
  await exit(EXIT.OK);
}

process.on('message', (message) => {
  if (!isArbiterMessage(message)) return;
  if (message.type === 'serverStopping') serverStopping = true;
  else if (message.type === 'status') void send({ type: 'status', requests: served, inFlight: stats?.inFlight ?? null, rss: process.memoryUsage.rss() });
});
// The arbiter sends `serverStopping` before the TERM; a turn of the loop lets a message read in
// the same poll as the signal be handled first.
process.on('SIGTERM', () => setImmediate(() => void stop(true)));
process.on('SIGINT', () => void stop(false));
process.on('SIGQUIT', () => void stop(false));
process.on('SIGABRT', () => {
  void runHook('workerAbort', view).then(() => exit(EXIT.FAILURE));
});
process.on('SIGUSR1', () => {
  logs.reopen();
  accessLog.reopen();
});
for (const ignored of ['SIGHUP', 'SIGUSR2', 'SIGWINCH', 'SIGTTIN', 'SIGTTOU'] as const) process.on(ignored, () => log.debug(`Ignored ${ignored}`));
// The arbiter is gone (killed, or crashed): finish what is in flight and leave. The channel may
// have closed while this module was still loading, before anyone listened: that is checked once.
process.on('disconnect', () => void stop(true));
if (!process.connected) void stop(true);
process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'Unhandled promise rejection'));
// Node's own warnings go to the error log, in its format. The one Node prints before failing on
// ESM syntax in a CommonJS file is dropped: load-app reports that failure in one line with the fix.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.startsWith('To load an ES module')) log.warning(`${warning.name}: ${warning.message}`);
});
process.on('uncaughtException', (error) => {
  log.critical({ err: error }, `Uncaught exception in worker (pid:${process.pid}); exiting`);
  void exit(EXIT.FAILURE);
});

/** Requests served, counted for max_requests anyway; `narwhal status` is told it. */
let served = 0;
const retireAfter = settings.maxRequests > 0 ? settings.maxRequests + Math.floor(Math.random() * (settings.maxRequestsJitter + 1)) : Infinity;

function requestDone(): void {
  if (++served === retireAfter) {
    log.info(`Autorestarting worker after current request (pid:${process.pid}, ${served} requests)`);
    void send({ type: 'retire', reason: 'maxRequests', requests: served });
  }
}

async function main(): Promise<void> {
  if (boot!.hookNames.length > 0 && boot!.hooksFrom !== null) hooks = await loadConfigFile(boot!.hooksFrom);
  await runHook('postFork', null, view);
  // Read as the user narwhal started as: a key readable by root only stays so.
  const tls = await secureOptions(settings, hooks.sslContext);
  if (boot!.identity !== null) dropPrivileges(boot!.identity);
  const workerClass = await importWorkerClass(boot!.workerClass, settings.workerClass);
  // Every class writes responses itself: a simple `new Response(…)` only records what to write
  // (fast-response.ts). Installed before the app loads, so an app that keeps a reference to the
  // global Response gets the stand-in too.
  installFastResponse();
  const graph = settings.reload && !boot!.checkOnly ? new ModuleGraph() : null;
  const app = await loadApp(settings.app!, settings.chdir, settings.interface);
  refuseUncarriedUpgrades(app, workerClass);
  if (boot!.checkOnly) {
    await send({ type: 'checked' });
    await exit(EXIT.OK);
  }
  if (app.interface === 'fetch') await warmFetchPlatform();
  await runHook('postWorkerInit', view);
  const context: WorkerContext = {
    settings,
    listeners: boot!.listeners,
    app,
    log,
    accessLog,
    metrics: stats ?? NO_METRICS,
    heartbeat,
    requestDone,
    signal: controller.signal,
    age: boot!.age,
    requestHooks: createRequestHooks(hooks, view, log),
    tls,
    loopLag: settings.maxLoopLag > 0 ? new LoopLagGuard(settings.maxLoopLag, log) : null,
    connectionBoard: boot!.board === null ? null : new ConnectionBoard(boot!.board),
  };
  if (settings.timeout > 0 && StallWatchdog.available) startWatchdogOnFirstConnection();
  handle = await workerClass.serve(context);
  resumeOptimisingCompiler();
  log.debug(`Worker (pid:${process.pid}) serving`);
  await send({ type: 'ready' });
  if (stats !== null) statsTimer = setInterval(() => void send(stats.report()), STATS_INTERVAL_MS).unref();
  graph?.reportTo((files) => void send({ type: 'watch', files }));
}

const WATCHDOG_RETRY_MS = 10_000;

/**
 * The watchdog's thread costs about 8.5 MiB (a V8 isolate), so it starts with the first
 * connection, not at boot: a booting worker or one that has not been sent a connection yet carries
 * none, and a boot is never delayed by it. A request that blocks the loop at once is still caught:
 * the thread boots on its own while the main thread is stuck.
 */
function startWatchdogOnFirstConnection(): void {
  const start = (): void => {
    diagnostics_channel.unsubscribe('net.server.socket', start);
    watchdog ??= new StallWatchdog(settings, (error) => {
      // Out of descriptors, most likely, as a first connection can be: try again with a later one.
      watchdog = null;
      log.warning(`Worker (pid:${process.pid}) could not start its stall watchdog: ${describeError(error)}; trying again in ${WATCHDOG_RETRY_MS / 1000}s`);
      setTimeout(startWatchdogOnFirstConnection, WATCHDOG_RETRY_MS).unref();
    });
  };
  diagnostics_channel.subscribe('net.server.socket', start);
  heartbeat.onFirstConnection(start);
}

main().catch(async (error: unknown) => {
  const known = isNarwhalError(error);
  const message = known ? error.message : `${(error as Error)?.stack ?? String(error)}`;
  await send({ type: 'bootError', code: known ? error.code : 'NARWHAL_E_WORKER_BOOT', message });
  if (!known) log.error({ err: error }, 'Worker failed to boot');
  await exit(known ? error.exitCode : EXIT.WORKER_BOOT_ERROR);
});
