// Design: Gunicorn's arbiter loop. Signal handlers only queue the signal and wake the loop.
// One tick (about once a second, or at once when woken):
//   1. dispatch queued signals to handleHup / handleTerm / handleTtin …
//   2. murderStuckWorkers: missed heartbeats, boot deadlines, overdue graceful stops
//   3. manageWorkers: spawn up to the target, retire the surplus oldest first, and retire a
//      worker marked for replacement only once enough replacements serve
// Replacing workers (HUP, and the recycles of recycling.ts: max_requests, memory, lifetime) is
// therefore readiness-gated: capacity never drops below the target while a new generation
// boots, and if it cannot boot, the old one stays.
// TERM with --drain-delay first drains: the workers serve on (and are replaced if they die) while
// /readyz answers 503, then the graceful stop proceeds.
// The arbiter never runs app code and never accepts a connection.

import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { NarwhalError, isNarwhalError } from '../errors.js';
import type { LoadedSettings } from '../config/load-settings.js';
import type { HookName, Hooks, ServerView, Settings } from '../config/types.js';
import { WORKER_HOOK_KEYS } from '../config/settings.js';
import { createLogger, type Logger, type LogOutput } from '../log/create-logger.js';
import { BoardSlots } from '../worker/connection-board.js';
import { closeHeartbeatFile, createUnlinkedFile, monotonicSeconds } from '../worker/heartbeat.js';
import { isWorkerMessage, type ArbiterToWorker, type WorkerToArbiter } from '../worker/protocol.js';
import type { ResolvedWorkerClass } from '../worker/resolve-worker-class.js';
import { classifyExit, describeBootFailure, describeExit, restartReason, type RetireReason } from './exit-reasons.js';
import { plainSettings } from './plain-settings.js';
import { prepareServing } from './prepare-serving.js';
import { heartbeatDirProblem } from './check-worker-tmp-dir.js';
import { bindListeners, closeListeners, giveSocketFiles, type BoundListener } from './listeners.js';
import { resolveSelfBoundAddresses, type SelfBoundAddresses } from './self-bound-addresses.js';
import { murderStuckWorkers, signal } from './murder-stuck-workers.js';
import { movePidfile, removePidfile, writePidfile } from './pidfile.js';
import { spawnNextArbiter, takeHandover } from './handover.js';
import { SystemdNotifier, takeSystemdListeners } from './systemd.js';
import { parseUmask, type WorkerIdentity } from './privileges.js';
import { spawnWorker } from './spawn-worker.js';
import { CodeReloader } from './code-reloader.js';
import { Recycling } from './recycling.js';
import { ArbiterMetrics } from '../metrics/arbiter-metrics.js';
import { countingLogger } from '../metrics/log-level-counts.js';
import { workerInfo, type WorkerRecord } from './worker-record.js';
import { BootProgress } from './boot-progress.js';
import { ControlSocket, controlSocketPath } from './control-socket.js';
import { runControlCommand, type ControlledArbiter } from './control-commands.js';
import { WorkerStatusPoll } from './worker-status.js';

const HANDLED_SIGNALS = ['SIGHUP', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGTTIN', 'SIGTTOU', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;
type HandledSignal = (typeof HANDLED_SIGNALS)[number];
interface QueuedSignal {
  readonly name: HandledSignal;
  readonly handled: (() => void) | undefined;
}

/** Seconds the loop sleeps between ticks at most. */
const MAX_TICK = 1;
/** The deadline left to workers when a quick stop interrupts a graceful one (Gunicorn: 2 s). */
const QUICK_STOP_DEADLINE = 2;
const MAX_RESPAWN_DELAY = 30;

export interface ArbiterOptions {
  readonly loaded: LoadedSettings;
  /** Re-reads every source, for HUP. */
  readonly reloadSettings: () => Promise<LoadedSettings>;
  readonly version: string;
}

/** The generation a HUP replaced, kept until the new one serves or fails. */
interface Reload {
  readonly previous: { readonly loaded: LoadedSettings; readonly workerClass: ResolvedWorkerClass; readonly listeners: BoundListener[] };
}

export class Arbiter {
  #loaded: LoadedSettings;
  #workerClass!: ResolvedWorkerClass;
  #listeners: BoundListener[] = [];
  /** For a class that binds in each worker (inheritsListeners: false) instead of inheriting #listeners. */
  #selfBound: SelfBoundAddresses | null = null;
  /** Listeners a HUP dropped, closed once no older worker may still use them. */
  #orphanedListeners: { readonly listeners: BoundListener[]; readonly generation: number }[] = [];
  readonly #workers = new Map<number, WorkerRecord>();
  #logs: LogOutput;
  readonly #options: ArbiterOptions;
  /** Signals to handle, each with what waits for it (a control command), if anything does. */
  readonly #signals: QueuedSignal[] = [];
  #target: number;
  #age = 0;
  /** Where the workers sharing the listeners post their open connections (connection-board.ts); null for a class that binds its own. */
  #board: BoardSlots | null = null;
  #generation = 0;
  /** `draining`: --drain-delay after a TERM, the workers serving while /readyz answers 503. */
  #phase: 'starting' | 'running' | 'draining' | 'stopping' | 'stopped' = 'starting';
  #everReady = false;
  #reload: Reload | null = null;
  #bootFailures = 0;
  #spawnNotBefore = 0;
  #stopDeadline = 0;
  /** --drain-delay: when the graceful stop begins, and the timer that wakes the loop then. */
  /** The --drain-delay has passed: the next pass of the loop stops. */
  #drained = false;
  #drainTimer: NodeJS.Timeout | undefined;
  #haltError: NarwhalError | null = null;
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  #tickAgain = false;
  /** USR2: the environment and directory narwhal started with, for the next arbiter. */
  readonly #startEnv: NodeJS.ProcessEnv;
  readonly #startCwd = process.cwd();
  /** A new arbiter started by USR2, while it lives. */
  #successor: ChildProcess | null = null;
  /** In a new arbiter started by USR2: the old one's pid, until it exits (promotion). */
  #parentPid: number | null = null;
  /** WINCH stopped this arbiter's workers for its successor. */
  #winched = false;
  /** The pid file as configured (absolute), and where this arbiter's pid is now: there, `.2` or `.oldbin`. */
  #pidfileBase: string | null = null;
  #pidfilePath: string | null = null;
  readonly #systemd: SystemdNotifier;
  /** `--reload`: the watcher, and the change that asked for a reload not yet started. */
  #codeReloader: CodeReloader | null = null;
  #changedFile: string | null = null;
  /** `--user`/`--group` as the workers take them. */
  #identity: WorkerIdentity | null = null;
  /** statsd and Prometheus (read at start only), and the arbiter's own log-line counts for them. */
  #metrics: ArbiterMetrics | null = null;
  readonly #logLevelCounts: Uint32Array | null;
  /** max_requests, memory and lifetime: which workers to replace, and how many at a time. */
  readonly #recycling = new Recycling(() => this.#settings, () => this.#log);
  readonly #bootProgress = new BootProgress();
  /** The control socket (control-socket.ts), null when off; the workers' answers to `narwhal status`. */
  #control: ControlSocket | null = null;
  readonly #statusPoll = new WorkerStatusPoll();
  readonly #startedAt = monotonicSeconds();
  #finish!: (code: number) => void;
  #fail!: (error: NarwhalError) => void;

  constructor(options: ArbiterOptions) {
    this.#options = options;
    this.#loaded = options.loaded;
    this.#target = this.#settings.workers;
    this.#logLevelCounts = this.#settings.statsdHost !== null || this.#settings.metricsBind !== null ? new Uint32Array(4) : null;
    this.#logs = this.#createLogs(this.#settings);
    this.#systemd = new SystemdNotifier(process.env, this.#log);
    // The next arbiter (USR2) gets what this one started with, notifications included.
    this.#startEnv = { ...process.env, ...(this.#systemd.socket === undefined ? {} : { NOTIFY_SOCKET: this.#systemd.socket }) };
  }

  get #settings(): Settings {
    return this.#loaded.settings;
  }

  get #log(): Logger {
    return this.#logs.logger;
  }

  /** Runs the server; resolves with the exit status, or rejects with the error that halted it. */
  async run(): Promise<number> {
    const settings = this.#settings;
    // Sockets handed over by the arbiter this one replaces (USR2), or by systemd.
    const inherited = takeHandover(process.env);
    const activated = inherited === null ? takeSystemdListeners(process.env) : null;
    this.#parentPid = inherited?.parentPid ?? null;
    this.#setTitle();
    process.chdir(settings.chdir);
    process.umask(parseUmask(settings.umask)!);
    const done = new Promise<number>((resolve, reject) => {
      this.#finish = resolve;
      this.#fail = reject;
    });
    try {
      this.#workerClass = await this.#prepare(this.#loaded);
      // --preload: the app's load errors stop the server here, before anything is bound (app/load-app.ts words them).
      if (settings.preloadApp) {
        // Imported here, not at the top: without --preload the arbiter never loads the app's machinery.
        const { loadApp } = await import('../app/load-app.js');
        await loadApp(settings.app!, settings.chdir, settings.interface);
      }
      await this.#runHook('onStarting', [this.#view()], true);
      if (settings.pidfile !== null) {
        // Gunicorn: an arbiter started by USR2 writes `pidfile.2` until it is promoted.
        this.#pidfileBase = resolve(settings.pidfile);
        this.#pidfilePath = this.#pidfileBase + (this.#parentPid === null ? '' : '.2');
        writePidfile(this.#pidfilePath);
      }
      if (this.#workerClass.workerClass.inheritsListeners === false) {
        if (activated !== null) throw new NarwhalError('NARWHAL_E_BIND', `-k ${this.#workerClass.workerClass.name} cannot serve the sockets systemd passed (LISTEN_FDS): its workers bind their own; drop the .socket unit, or use -k async`);
        this.#selfBound = inherited?.selfBound ?? null;
        await this.#resolveSelfBound(this.#loaded);
      } else {
        this.#listeners = inherited?.listeners ?? activated ?? (await bindListeners(settings.bind, settings.chdir));
        giveSocketFiles(this.#listeners, this.#identity);
        this.#board = new BoardSlots(createUnlinkedFile(settings.workerTmpDir, 'board'));
      }
      this.#metrics = await ArbiterMetrics.start(settings, { log: this.#log, ready: () => this.#serving(), arbiterLogLevels: this.#logLevelCounts ?? new Uint32Array(4), upgrade: this.#parentPid !== null });
      this.#metrics?.watchBacklog(this.#listenerUrls());
    } catch (error) {
      this.#cleanUp();
      throw error;
    }
    this.#log.info(`Starting narwhal ${this.#options.version}`);
    this.#logListening();
    this.#log.info(`Using worker: ${this.#workerClass.description}`);
    try {
      await this.#runHook('whenReady', [this.#view()], true);
      // Opened last, so that no command arrives before the loop can act on it.
      this.#control = await this.#openControlSocket();
    } catch (error) {
      this.#cleanUp();
      throw error;
    }
    for (const name of HANDLED_SIGNALS) process.on(name, () => this.#queueSignal(name));
    if (settings.reload) {
      this.#codeReloader = new CodeReloader(settings.reloadEngine, (file) => this.#codeChanged(file), this.#log);
      this.#codeReloader.watch(settings.reloadExtraFiles, settings.chdir);
    }
    await this.#runHook('nworkersChanged', [this.#view(), this.#target, null]);
    this.#phase = 'running';
    this.#timer = setInterval(() => this.#wake(), MAX_TICK * 1000);
    this.#wake();
    return done;
  }

  /** Checks everything before anything is bound or spawned (prepareServing); keeps the workers' identity. */
  async #prepare(loaded: LoadedSettings): Promise<ResolvedWorkerClass> {
    const { resolved, identity } = await prepareServing(loaded.settings, this.#log);
    this.#identity = identity;
    return resolved;
  }

  /** /readyz: a worker serves and the server is not stopping. */
  #serving(): boolean {
    if (this.#phase !== 'running') return false;
    for (const worker of this.#workers.values()) if (worker.booted && worker.stopSentAt === null) return true;
    return false;
  }

  /** Workers not on their way out: Gunicorn's `gunicorn.workers` gauge, which leaves out those it is stopping. */
  #activeWorkers(): number {
    let count = 0;
    for (const worker of this.#workers.values()) if (worker.retire === null) count++;
    return count;
  }

  /** The app's addresses: the listeners held here, or those a self-binding class's workers bind. */
  #listenerUrls(): string[] {
    return [...this.#listeners.map((listener) => listener.url), ...(this.#selfBound?.urls ?? [])];
  }

  #logListening(): void {
    for (const listener of this.#listeners) this.#log.info(`Listening at: ${this.#shownUrl(listener.url)} (${process.pid})`);
    if (this.#metrics?.url) this.#log.info(`Serving metrics at: ${this.#metrics.url}/metrics (${process.pid})`);
    if (this.#selfBound === null) return;
    for (const url of this.#selfBound.urls) this.#log.info(`Listening at: ${this.#shownUrl(url)} (${process.pid})`);
    this.#log.info(`The ${this.#workerClass.workerClass.name} workers bind these addresses themselves, with SO_REUSEPORT`);
  }

  /** A TCP listener's URL as clients use it: https with --certfile, as Gunicorn logs it. */
  #shownUrl(url: string): string {
    return this.#settings.certfile !== null && url.startsWith('http://') ? `https://${url.slice(7)}` : url;
  }

  /** Gives a self-binding class's workers concrete addresses (port 0 resolved once, kept across HUPs). */
  async #resolveSelfBound(loaded: LoadedSettings): Promise<void> {
    const previous = this.#selfBound;
    this.#selfBound = await resolveSelfBoundAddresses(loaded.settings.bind, loaded.settings.chdir, previous);
    loaded.settings.bind = [...this.#selfBound.concrete];
    for (const url of this.#selfBound.urls) if (previous !== null && !previous.urls.includes(url)) this.#log.info(`Listening at: ${this.#shownUrl(url)} (${process.pid})`);
  }

  #queueSignal(name: HandledSignal, handled?: () => void): void {
    this.#signals.push({ name, handled });
    this.#wake();
  }

  #wake(): void {
    if (this.#ticking) {
      this.#tickAgain = true;
      return;
    }
    this.#ticking = true;
    setImmediate(() => void this.#tick());
  }

  async #tick(): Promise<void> {
    try {
      do {
        this.#tickAgain = false;
        let queued: QueuedSignal | undefined;
        while ((queued = this.#signals.shift()) !== undefined) {
          try {
            await this.#handleSignal(queued.name);
          } finally {
            queued.handled?.();
          }
        }
        if (this.#parentPid !== null && process.ppid !== this.#parentPid) await this.#promote();
        if (this.#changedFile !== null && this.#reload === null && this.#phase === 'running') await this.#reloadCode();
        murderStuckWorkers(this.#workers.values(), this.#settings, this.#log);
        if (this.#phase === 'draining' && this.#drained) await this.#stopNow(true);
        else if (this.#phase === 'running' || this.#phase === 'draining') await this.#manageWorkers();
        else if (this.#phase === 'stopping') await this.#checkStopped();
        this.#metrics?.tick(this.#activeWorkers());
      } while (this.#tickAgain);
    } catch (error) {
      this.#log.error({ err: error }, 'Unhandled error in the arbiter loop');
    } finally {
      this.#ticking = false;
    }
  }

  async #handleSignal(name: HandledSignal): Promise<void> {
    this.#log.info(`Handling signal: ${name.slice(3).toLowerCase()}`);
    switch (name) {
      case 'SIGHUP':
        return this.#handleHup();
      case 'SIGTERM':
        return this.#stop(true);
      case 'SIGINT':
      case 'SIGQUIT':
        return this.#stop(false);
      case 'SIGTTIN':
        return this.#setTarget(this.#target + 1);
      case 'SIGTTOU':
        return this.#target > 1 ? this.#setTarget(this.#target - 1) : undefined;
      case 'SIGUSR1':
        this.#logs.reopen();
        for (const worker of this.#workers.values()) signal(worker, 'SIGUSR1');
        return;
      case 'SIGUSR2':
        return this.#reexec();
      case 'SIGWINCH':
        return this.#handleWinch();
    }
  }

  async #setTarget(target: number): Promise<void> {
    const old = this.#target;
    this.#target = target;
    await this.#runHook('nworkersChanged', [this.#view(), target, old]);
  }

  // ---- HUP: re-read the settings and replace every worker, readiness-gated.

  async #handleHup(): Promise<void> {
    if (this.#phase !== 'running') return;
    if (this.#reload !== null) {
      this.#log.warning('Reload already in progress; ignoring HUP');
      return;
    }
    const previous = { loaded: this.#loaded, workerClass: this.#workerClass, listeners: this.#listeners };
    await this.#systemd.notify('RELOADING=1', `MONOTONIC_USEC=${process.hrtime.bigint() / 1000n}`);
    try {
      const loaded = await this.#options.reloadSettings();
      const workerClass = await this.#prepare(loaded);
      const selfBinding = workerClass.workerClass.inheritsListeners === false;
      if (selfBinding) await this.#resolveSelfBound(loaded);
      const listeners = selfBinding ? [] : await this.#rebind(loaded.settings.bind, loaded.settings.chdir);
      giveSocketFiles(listeners, this.#identity);
      this.#loaded = loaded;
      this.#workerClass = workerClass;
      this.#listeners = listeners;
      this.#metrics?.watchBacklog(this.#listenerUrls());
      process.chdir(loaded.settings.chdir);
    } catch (error) {
      this.#log.error(`Reload failed: ${describe(error)}; the current workers keep serving`);
      void this.#systemd.notify('READY=1');
      return;
    }
    this.#reload = { previous };
    this.#generation++;
    for (const listener of this.#listeners) if (!previous.listeners.includes(listener)) this.#log.info(`Listening at: ${this.#shownUrl(listener.url)} (${process.pid})`);
    const dropped = previous.listeners.filter((listener) => !this.#listeners.includes(listener));
    if (dropped.length > 0) this.#orphanedListeners.push({ listeners: dropped, generation: this.#generation });
    this.#reopenLogs(previous.loaded.settings);
    await this.#runHook('onReload', [this.#view()]);
    for (const worker of this.#workers.values()) worker.retire ??= 'reload';
    // A HUP after WINCH brings the workers back (Gunicorn's rollback of an upgrade).
    const winched = this.#winched;
    this.#winched = false;
    if (winched || this.#settings.workers !== previous.loaded.settings.workers) await this.#setTarget(this.#settings.workers);
    this.#log.info(`Reloading: starting ${this.#target} new workers`);
  }

  /** HUP re-reads the logging settings too (Gunicorn 26.1): a changed log file, level or format takes effect. */
  #reopenLogs(before: Settings): void {
    const after = this.#settings;
    if (after.errorlog === before.errorlog && after.loglevel === before.loglevel && after.logFormat === before.logFormat) {
      this.#logs.reopen();
      return;
    }
    this.#logs.flush();
    this.#logs = this.#createLogs(after);
  }

  /** The error log; with metrics on, its warning and error lines are counted (gunicorn.log.*). */
  #createLogs(settings: Settings): LogOutput {
    const logs = createLogger(settings);
    return this.#logLevelCounts === null ? logs : { ...logs, logger: countingLogger(logs.logger, this.#logLevelCounts) };
  }

  /** Binds a HUP's addresses, keeping the descriptors of addresses that did not change. */
  async #rebind(binds: readonly string[], cwd: string): Promise<BoundListener[]> {
    const kept = new Map(this.#listeners.map((listener) => [listener.address.text, listener]));
    const fresh = await bindListeners(binds.filter((text) => !kept.has(text)), cwd);
    return binds.map((text) => kept.get(text) ?? fresh.shift()!);
  }

  #reloadDone(): void {
    this.#reload = null;
    if (this.#phase === 'running') void this.#systemd.notify('READY=1', `STATUS=Serving with ${this.#target} workers`);
    this.#log.info('Reload complete');
  }

  #abortReload(error: NarwhalError): void {
    const previous = this.#reload!.previous;
    this.#log.error(`Reload failed: ${error.message} [${error.code}]; the previous workers keep serving`);
    const abandoned = this.#listeners.filter((listener) => !previous.listeners.includes(listener));
    for (const worker of this.#workers.values()) {
      if (worker.generation === this.#generation && !worker.booted) this.#stopWorker(worker, 'reloadAborted', 'SIGTERM');
      else if (worker.retire === 'reload') worker.retire = null;
    }
    const failed = this.#settings;
    this.#loaded = previous.loaded;
    this.#workerClass = previous.workerClass;
    this.#listeners = previous.listeners;
    this.#reopenLogs(failed);
    this.#orphanedListeners = this.#orphanedListeners.filter((entry) => entry.generation !== this.#generation);
    if (abandoned.length > 0) this.#orphanedListeners.push({ listeners: abandoned, generation: this.#generation + 1 });
    this.#reload = null;
    this.#target = this.#settings.workers;
    void this.#systemd.notify('READY=1');
  }

  // ---- --reload: a changed file replaces the workers as HUP does (code-reloader.ts)

  #codeChanged(file: string): void {
    this.#changedFile ??= file;
    this.#wake();
  }

  /** Waits for a reload in progress to end first, so that the last change always gets its reload. */
  async #reloadCode(): Promise<void> {
    this.#log.info(`Reloading: ${this.#changedFile} changed`);
    this.#changedFile = null;
    await this.#handleHup();
  }

  // ---- USR2 and WINCH: Gunicorn's binary upgrade (handover.ts)

  async #reexec(): Promise<void> {
    if (this.#phase !== 'running') return;
    if (this.#successor !== null) {
      this.#log.warning(`USR2 ignored: an upgrade is already under way (new arbiter pid:${this.#successor.pid})`);
      return;
    }
    if (this.#parentPid !== null) {
      this.#log.warning(`USR2 ignored: this arbiter is itself an upgrade, not promoted while the old arbiter (pid:${this.#parentPid}) runs`);
      return;
    }
    await this.#runHook('preExec', [this.#view()]);
    this.#movePidfile('.oldbin');
    const successor = spawnNextArbiter({ listeners: this.#listeners, selfBound: this.#selfBound, env: this.#startEnv, cwd: this.#startCwd });
    if (successor.pid === undefined) {
      this.#movePidfile('');
      this.#log.error('USR2: could not start a new arbiter');
      return;
    }
    this.#successor = successor;
    this.#log.info(`Started a new arbiter (pid:${successor.pid}) on the same sockets; WINCH or TERM this one once it serves`);
    successor.once('exit', (code, name) => this.#successorExited(successor, code, name));
  }

  /** The new arbiter is gone before this one: roll back to serving alone. */
  #successorExited(successor: ChildProcess, code: number | null, name: NodeJS.Signals | null): void {
    this.#successor = null;
    if (this.#phase !== 'running') return;
    this.#log.warning(`The new arbiter (pid:${successor.pid}) exited (${name ?? `code ${code}`}); this one serves on${this.#winched ? ', restarting its workers' : ''}`);
    this.#movePidfile('');
    if (this.#winched) {
      this.#winched = false;
      void this.#setTarget(this.#settings.workers);
    }
    this.#wake();
  }

  /**
   * WINCH stops the workers gracefully and keeps the arbiter (Gunicorn, after USR2). A terminal
   * sends WINCH to its foreground processes on every resize, so without a successor it is
   * ignored, as Gunicorn ignores it unless daemonised.
   */
  async #handleWinch(): Promise<void> {
    if ((this.#successor === null && !this.#settings.daemon) || this.#phase !== 'running') {
      this.#log.debug('WINCH ignored: no upgrade is under way and narwhal is not a daemon');
      return;
    }
    this.#winched = true;
    this.#log.info('Gracefully stopping the workers (WINCH); the new arbiter serves');
    await this.#setTarget(0);
  }

  /** The old arbiter exited: this one is the server now. */
  async #promote(): Promise<void> {
    this.#log.info('Master has been promoted.');
    this.#parentPid = null;
    this.#setTitle();
    this.#movePidfile('');
    this.#control?.promote(controlSocketPath(this.#settings.controlSocket, this.#startCwd, false), this.#log);
    await this.#systemd.notify(`MAINPID=${process.pid}`, 'READY=1');
  }

  /** Moves the pid file to its base name plus `suffix` (Gunicorn's `.oldbin` and `.2`). */
  #movePidfile(suffix: '' | '.oldbin'): void {
    if (this.#pidfileBase === null || this.#pidfilePath === null) return;
    movePidfile(this.#pidfilePath, this.#pidfileBase + suffix);
    this.#pidfilePath = this.#pidfileBase + suffix;
  }

  #setTitle(): void {
    const settings = this.#settings;
    process.title = `narwhal: master [${settings.procName ?? settings.app}]${this.#parentPid === null ? '' : '.2'}`;
  }

  // ---- keeping the number of workers

  /** While draining too: a worker that dies is replaced, but none is recycled. */
  async #manageWorkers(): Promise<void> {
    if (this.#phase === 'running') await this.#recycling.check(this.#workers);
    const active = [...this.#workers.values()].filter((worker) => worker.retire === null);
    // Too many: retire the oldest (TTOU, or replacements outnumbering the target).
    active.sort((a, b) => a.age - b.age);
    for (let surplus = active.length - this.#target; surplus > 0; surplus--) this.#stopWorker(active.shift()!, 'scaleDown', 'SIGTERM');
    // Too few: spawn, unless boot failures asked for a pause. Until a worker has served once, one
    // boots at a time: N processes loading Node, the class and the app together share the cores,
    // and the first answer would wait for all of them (`-w 4` on two cores: first answer in
    // about half the time); the rest start as soon as the first is ready.
    let missing = this.#target - active.length;
    if (!this.#everReady) missing = Math.min(missing, 1 - active.filter((worker) => !worker.booted).length);
    for (; missing > 0 && monotonicSeconds() >= this.#spawnNotBefore; missing--) await this.#spawn();
    this.#retireReplaced(active);
    this.#closeOrphanedListeners();
  }

  /** Stops workers marked for replacement while the serving capacity stays at the target. */
  #retireReplaced(active: readonly WorkerRecord[]): void {
    const ready = active.filter((worker) => worker.booted).length;
    const marked = [...this.#workers.values()].filter((worker) => worker.retire !== null && worker.stopSentAt === null).sort((a, b) => a.age - b.age);
    let serving = ready + marked.length;
    for (const worker of marked) {
      if (serving <= this.#target) break;
      this.#stopWorker(worker, worker.retire!, 'SIGTERM');
      serving--;
    }
    // Only the reload's own replacements count: under steady max-requests churn some worker is
    // always waiting for its successor, and a reload waiting for none of them would never end.
    if (this.#reload !== null && ready >= this.#target && !marked.some((worker) => worker.retire === 'reload')) this.#reloadDone();
  }

  #closeOrphanedListeners(): void {
    this.#orphanedListeners = this.#orphanedListeners.filter((entry) => {
      const stillUsed = [...this.#workers.values()].some((worker) => worker.generation < entry.generation);
      if (!stillUsed) closeListeners(entry.listeners);
      return stillUsed;
    });
  }

  async #spawn(): Promise<void> {
    const age = ++this.#age;
    await this.#runHook('preFork', [this.#view(), { pid: 0, age, booted: false }]);
    const settings = plainSettings(this.#settings);
    const boardSlot = this.#board?.take() ?? null;
    let spawned: ReturnType<typeof spawnWorker>;
    try {
      spawned = spawnWorker({
        age,
        settings,
        listeners: this.#listeners,
        workerClass: this.#workerClass,
        hooksFrom: this.#loaded.configFile,
        hookNames: WORKER_HOOK_KEYS.filter((key) => this.#loaded.sources[key] === 'config file'),
        identity: this.#identity,
        board: boardSlot === null ? null : { fd: this.#board!.fd, slot: boardSlot },
      });
    } catch (error) {
      this.#freeBoardSlot(boardSlot);
      // The heartbeat directory passed the startup check; if it went away since, spawning backs off.
      this.#log.error(`Cannot spawn a worker: ${heartbeatDirProblem(settings.workerTmpDir) ?? describe(error)}; next attempt in ${this.#backOffSpawning()}s`);
      return;
    }
    const { child, heartbeatFd } = spawned;
    if (child.pid === undefined) {
      closeHeartbeatFile(heartbeatFd);
      this.#freeBoardSlot(boardSlot);
      this.#log.error('Could not spawn a worker process');
      return;
    }
    const worker: WorkerRecord = {
      pid: child.pid,
      age,
      child,
      heartbeatFd,
      boardSlot,
      className: this.#workerClass.workerClass.name,
      generation: this.#generation,
      spawnedAt: monotonicSeconds(),
      booted: false,
      retire: null,
      stopSentAt: null,
      abortedAt: null,
      killed: false,
      bootTimedOut: false,
      bootError: null,
    };
    this.#workers.set(worker.pid, worker);
    this.#log.info(`Booting worker with pid: ${worker.pid}`);
    child.on('message', (message) => {
      if (isWorkerMessage(message)) this.#onMessage(worker, message);
    });
    child.once('exit', (code, name) => void this.#onExit(worker, code, name));
    child.on('error', (error) => this.#log.error({ err: error }, `Worker (pid:${worker.pid}) process error`));
  }

  #onMessage(worker: WorkerRecord, message: WorkerToArbiter): void {
    switch (message.type) {
      case 'ready':
        worker.booted = true;
        if (!this.#everReady) void this.#systemd.notify(...(this.#parentPid === null ? [] : [`MAINPID=${process.pid}`]), 'READY=1', `STATUS=Serving with ${this.#target} workers`);
        this.#everReady = true;
        this.#bootFailures = 0;
        this.#bootProgress.workerReady(worker.pid, [...this.#workers.values()].filter((each) => each.booted && each.retire === null).length, this.#target, this.#log);
        break;
      case 'retire':
        this.#recycling.requestsServed(worker, message.requests);
        break;
      case 'bootError':
        worker.bootError = { code: message.code, message: message.message };
        break;
      case 'checked':
        break;
      case 'watch':
        this.#codeReloader?.watch(message.files, this.#settings.chdir);
        return;
      case 'stats':
        this.#metrics?.workerStats(worker.pid, worker.className, this.#workers.has(worker.pid), message);
        return;
      case 'status':
        this.#statusPoll.answer(worker.pid, message);
        return;
    }
    this.#wake();
  }

  /** Sends `message` to a worker, then calls `then` once it is on its way (or could not be sent). */
  #send(worker: WorkerRecord, message: ArbiterToWorker, then: () => void): void {
    if (!worker.child.connected) return then();
    worker.child.send(message, undefined, undefined, () => then());
  }

  #freeBoardSlot(slot: number | null): void {
    if (slot !== null) this.#board?.free(slot);
  }

  #stopWorker(worker: WorkerRecord, reason: RetireReason, name: 'SIGTERM' | 'SIGQUIT'): void {
    worker.retire = reason;
    if (worker.stopSentAt !== null && name === 'SIGTERM') return;
    worker.stopSentAt = monotonicSeconds();
    signal(worker, name);
  }

  async #onExit(worker: WorkerRecord, code: number | null, name: NodeJS.Signals | null): Promise<void> {
    this.#workers.delete(worker.pid);
    closeHeartbeatFile(worker.heartbeatFd);
    this.#freeBoardSlot(worker.boardSlot);
    const reason = classifyExit({
      code,
      signal: name,
      booted: worker.booted,
      timedOut: worker.abortedAt !== null,
      bootTimedOut: worker.bootTimedOut,
      retired: worker.retire,
      bootError: worker.bootError,
    });
    // A SIGKILL from outside (the OOM killer, an operator) says nothing about the app: the worker
    // is replaced at once, as a running one would be, not met with the boot-failure pause.
    const killedFromOutside = reason.kind === 'signal' && reason.signal === 'SIGKILL';
    const bootFailed = !worker.booted && worker.retire === null && this.#phase !== 'stopping' && !killedFromOutside;
    // A failed start or reload is said once, by what it stops (the halt, or "Reload failed").
    const reloadFailed = bootFailed && this.#reload !== null && worker.generation === this.#generation;
    if (!(bootFailed && !this.#everReady) && !reloadFailed) {
      const { level, message } = describeExit(worker.pid, reason);
      this.#log[level](message);
    }
    this.#metrics?.workerExited(worker.pid, worker.className, this.#phase === 'running' || this.#phase === 'draining' ? restartReason(reason) : null);
    if (bootFailed) {
      this.#bootFailed(worker, reason.kind === 'bootError' ? new NarwhalError(reason.code, reason.message) : new NarwhalError('NARWHAL_E_WORKER_BOOT', describeBootFailure(worker.pid, reason, this.#settings.timeout)));
    }
    await this.#runHook('childExit', [this.#view(), workerInfo(worker)]);
    this.#wake();
  }

  #bootFailed(worker: WorkerRecord, error: NarwhalError): void {
    if (!this.#everReady) {
      this.#halt(error);
    } else if (this.#reload !== null && worker.generation === this.#generation) {
      this.#abortReload(error);
    } else {
      this.#log.error(`Worker failed to boot (${error.code}); next attempt in ${this.#backOffSpawning()}s`);
    }
  }

  /** Delays the next spawn, doubling with each failure in a row; returns the delay in seconds. */
  #backOffSpawning(): number {
    this.#bootFailures++;
    const delay = Math.min(MAX_RESPAWN_DELAY, 0.5 * 2 ** (this.#bootFailures - 1));
    this.#spawnNotBefore = monotonicSeconds() + delay;
    return delay;
  }

  // ---- stopping

  #halt(error: NarwhalError): void {
    this.#haltError = error;
    void this.#stop(false);
  }

  /**
   * TERM (graceful) or INT/QUIT. With --drain-delay, a TERM first drains: the workers serve on
   * while /readyz answers 503, so that a load balancer stops sending; a second TERM, an INT or a
   * QUIT meanwhile stops at once. No delay when nothing serves yet, or when a successor (USR2)
   * serves the same sockets.
   */
  async #stop(graceful: boolean): Promise<void> {
    const delay = this.#settings.drainDelay;
    if (graceful && delay > 0 && this.#phase === 'running' && this.#successor === null && this.#serving()) {
      this.#phase = 'draining';
      void this.#systemd.notify('STOPPING=1', `STATUS=Draining for ${delay} s before stopping`);
      this.#drainTimer = setTimeout(() => {
        this.#drained = true;
        this.#wake();
      }, delay * 1000);
      this.#log.info(`Draining for ${delay} s before stopping (TERM)`);
      return;
    }
    await this.#stopNow(graceful);
  }

  async #stopNow(graceful: boolean): Promise<void> {
    const now = monotonicSeconds();
    clearTimeout(this.#drainTimer);
    if (this.#phase === 'stopping') {
      if (!graceful) {
        // INT/QUIT during a graceful stop: hurry, as Gunicorn does.
        this.#stopDeadline = Math.min(this.#stopDeadline, now + QUICK_STOP_DEADLINE);
        for (const worker of this.#workers.values()) signal(worker, 'SIGQUIT');
      }
      return;
    }
    // After a USR2 the successor is the service now: this one's exit is no stop.
    if (this.#successor === null && this.#phase !== 'draining') void this.#systemd.notify('STOPPING=1');
    this.#phase = 'stopping';
    this.#stopDeadline = now + (graceful ? this.#settings.gracefulTimeout : QUICK_STOP_DEADLINE);
    // Queued connections outlive no server: the workers take them before closing, unless a
    // successor (USR2) shares the sockets and will.
    const tellServerStopping = graceful && this.#successor === null;
    for (const worker of this.#workers.values()) {
      worker.stopSentAt = null;
      if (tellServerStopping) this.#send(worker, { type: 'serverStopping' }, () => this.#stopWorker(worker, 'shutdown', 'SIGTERM'));
      else this.#stopWorker(worker, 'shutdown', graceful ? 'SIGTERM' : 'SIGQUIT');
    }
    await this.#checkStopped();
  }

  async #checkStopped(): Promise<void> {
    if (this.#workers.size > 0) {
      if (monotonicSeconds() < this.#stopDeadline) return;
      for (const worker of this.#workers.values()) {
        worker.killed = true;
        signal(worker, 'SIGKILL');
      }
      return;
    }
    this.#phase = 'stopped';
    clearInterval(this.#timer);
    for (const name of HANDLED_SIGNALS) process.removeAllListeners(name);
    this.#log.info('Shutting down: Master');
    this.#metrics?.tick(0);
    this.#cleanUp();
    await this.#runHook('onExit', [this.#view()]);
    this.#logs.flush();
    if (this.#haltError !== null) this.#fail(this.#haltError);
    else this.#finish(0);
  }

  #cleanUp(): void {
    this.#codeReloader?.close();
    void this.#metrics?.close();
    // While another generation shares the sockets (USR2), their files stay, as in Gunicorn.
    const shared = this.#successor !== null || this.#parentPid !== null;
    closeListeners([...this.#listeners, ...this.#orphanedListeners.flatMap((entry) => entry.listeners)], !shared);
    if (this.#pidfilePath !== null) removePidfile(this.#pidfilePath);
    this.#control?.close();
  }

  // ---- the control socket: `narwhal ctl` and `narwhal status` (control-socket.ts, control-commands.ts)

  async #openControlSocket(): Promise<ControlSocket | null> {
    const settings = this.#settings;
    if (settings.controlSocketDisable) return null;
    const controlled = this.#controlled();
    return ControlSocket.open({
      path: controlSocketPath(settings.controlSocket, this.#startCwd, this.#parentPid !== null),
      mode: parseUmask(settings.controlSocketMode)!,
      explicit: this.#loaded.sources.controlSocket !== 'default',
      log: this.#log,
      run: (command) => runControlCommand(command, controlled, this.#log),
    });
  }

  #controlled(): ControlledArbiter {
    return {
      signal: (name, times = 1) =>
        new Promise((handled) => {
          for (let queued = 1; queued < times; queued++) this.#queueSignal(name);
          this.#queueSignal(name, handled);
        }),
      killWorker: (pid) => {
        const worker = this.#workers.get(pid);
        if (worker !== undefined) signal(worker, 'SIGTERM');
        return worker !== undefined;
      },
      workers: () => this.#statusPoll.describe(this.#workers.values(), (worker, message) => this.#send(worker, message, () => {}), this.#phase === 'draining'),
      stats: () => ({ pid: process.pid, phase: this.#phase, uptime: Math.round(monotonicSeconds() - this.#startedAt), workers: this.#workers.size, target: this.#target, spawned: this.#age, reloads: this.#generation }),
      config: () => plainSettings(this.#settings),
      listeners: () => [
        ...this.#listenerUrls().map((url) => this.#shownUrl(url)),
        ...(this.#metrics?.url ? [`${this.#metrics.url}/metrics`] : []),
        ...(this.#control === null ? [] : [`unix:${this.#control.path}`]),
      ],
    };
  }

  // ---- hooks

  #view(): ServerView {
    return { pid: process.pid, settings: this.#settings, log: this.#log, workers: [...this.#workers.values()].map(workerInfo) };
  }

  /** Runs a hook; a failure is logged, or, when `fatal`, stops the server with NARWHAL_E_HOOK. */
  async #runHook<K extends HookName>(name: K, args: Parameters<Hooks[K]>, fatal = false): Promise<void> {
    try {
      await (this.#settings[name] as (...parameters: unknown[]) => unknown)(...args);
    } catch (error) {
      if (fatal) throw new NarwhalError('NARWHAL_E_HOOK', `the ${name} hook failed: ${describe(error)}`, { cause: error });
      this.#log.error({ err: error }, `The ${name} hook failed`);
    }
  }
}

function describe(error: unknown): string {
  if (isNarwhalError(error)) return `${error.message} [${error.code}]`;
  return error instanceof Error ? error.message : String(error);
}
