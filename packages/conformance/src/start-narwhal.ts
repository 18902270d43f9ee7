// Design: spawn the real `narwhal` CLI the way a user does, in its own process group so that
// cleanup reaches every worker, on ephemeral ports (`-b 127.0.0.1:0`, read back from the
// "Listening at" lines), and capture its output for assertions. Every process started here is
// killed by `stopAll()` (the kit's suites run it after each test; @narwhal/test-utils' setup
// after each test file), and, as a last resort, when the test process itself exits.

import { spawn, type ChildProcess } from 'node:child_process';
import { findNarwhalCli } from './find-cli.js';

let cli: string | undefined;
/** The `narwhal` CLI every spawn runs (see {@link findNarwhalCli}), resolved on first use. */
export function narwhalCli(): string {
  return (cli ??= findNarwhalCli());
}

export interface StartOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Wait until this many workers reported ready (default: the -w value, or 1). */
  readonly readyWorkers?: number;
  readonly timeoutMs?: number;
  /** Open descriptors handed to the arbiter as fd 3, 4… (for `-b fd://3`, as systemd does). */
  readonly passFds?: readonly number[];
  /**
   * `test` (default): `stopAll()` stops it after the test. `suite`: a server several tests
   * share survives `stopAll()` and is stopped by its owner or by `stopAll('all')`.
   */
  readonly lifetime?: 'test' | 'suite';
  /** Start under this soft and hard limit on open files (`ulimit -n`), for the arbiter and its workers. */
  readonly descriptorLimit?: number;
}

export interface NarwhalProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** `http://127.0.0.1:PORT` (`https://` with `--certfile`) of each TCP listener, `unix:PATH` of unix ones, in bind order. */
  readonly urls: string[];
  /** The first TCP listener's base URL. */
  readonly url: string;
  readonly port: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stderr(): string;
  stdout(): string;
  /** Resolves with the first match of `pattern` in the output, waiting for it. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves once `count` more matches than now appear. */
  waitForMoreLogs(pattern: RegExp, count: number, timeoutMs?: number): Promise<void>;
  /** Pids of workers that reported ready, in the order they did. */
  readyPids(): number[];
  /** Pids of workers spawned, oldest first (Gunicorn's age order). */
  spawnedPids(): number[];
  signal(name: NodeJS.Signals): void;
  /** Resolves when the arbiter exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** TERM, then KILL of the whole group after a grace period. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<NarwhalProcess>();
const shared = new WeakSet<NarwhalProcess>();

// A test runner that exits mid-test (a crash, a bail-out) must not leave servers behind.
process.once('exit', () => {
  for (const handle of running) killGroup(handle.pid);
});

function countMatches(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))].length;
}

function workersFromArgs(args: readonly string[]): number {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '-w' || arg === '--workers') return Number(args[index + 1]);
    const inline = /^(?:-w|--workers=)(\d+)$/.exec(arg);
    if (inline) return Number(inline[1]);
  }
  return 1;
}

/** Spawns `narwhal ...args` and resolves once it listens and its workers are ready. */
export async function startNarwhal(args: readonly string[], options: StartOptions = {}): Promise<NarwhalProcess> {
  const handle = launchNarwhal(args, options);
  const timeoutMs = options.timeoutMs ?? 15_000;
  try {
    const ready = options.readyWorkers ?? workersFromArgs(args);
    await handle.waitForMoreLogs(/Worker \(pid:\d+\) ready/, ready, timeoutMs);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/** Spawns `narwhal ...args` without waiting for anything. */
export function launchNarwhal(args: readonly string[], options: StartOptions = {}): NarwhalProcess {
  const command = [process.execPath, narwhalCli(), ...args];
  // The shell sets the limit and then becomes node (exec), so the pid is still the arbiter's.
  if (options.descriptorLimit !== undefined) command.unshift('/bin/sh', '-c', `ulimit -n ${Math.floor(options.descriptorLimit)} && exec "$0" "$@"`);
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', ...(options.passFds ?? [])],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  let all = '';
  const waiters = new Set<() => void>();
  const onData = (which: 'out' | 'err') => (chunk: Buffer) => {
    const text = chunk.toString();
    if (which === 'out') stdout += text;
    else stderr += text;
    all += text;
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', onData('out'));
  child.stderr!.on('data', onData('err'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(handle);
      setImmediate(() => {
        for (const waiter of waiters) waiter();
      });
      resolve({ code, signal });
    });
  });
  let exitedFlag = false;
  void exited.then(() => {
    exitedFlag = true;
  });

  function waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): void => {
        const found = check();
        if (found !== undefined) {
          cleanup();
          resolve(found);
        } else if (exitedFlag) {
          cleanup();
          reject(new Error(`narwhal exited before ${what}; output:\n${all}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; output:\n${all}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        waiters.delete(attempt);
      };
      waiters.add(attempt);
      attempt();
    });
  }

  const listening = (): string[] => [...all.matchAll(/Listening at: (\S+)/g)].map((match) => match[1]!);
  const firstTcp = (): string | undefined => listening().find((url) => /^https?:\/\//.test(url));

  const handle: NarwhalProcess = {
    child,
    pid: child.pid!,
    get urls() {
      return listening();
    },
    get url() {
      const url = firstTcp();
      if (url === undefined) throw new Error(`narwhal has no TCP listener yet; output:\n${all}`);
      return url;
    },
    get port() {
      return Number(new URL(handle.url).port);
    },
    output: () => all,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLog: (pattern, timeoutMs = 10_000) => waitUntil(() => all.match(pattern) ?? undefined, timeoutMs, `${pattern}`),
    waitForMoreLogs: async (pattern, count, timeoutMs = 10_000) => {
      const target = countMatches(all, pattern) + count;
      await waitUntil(() => (countMatches(all, pattern) >= target ? true : undefined), timeoutMs, `${count} × ${pattern}`);
    },
    readyPids: () => [...all.matchAll(/Worker \(pid:(\d+)\) ready/g)].map((match) => Number(match[1])),
    spawnedPids: () => [...all.matchAll(/Booting worker with pid: (\d+)/g)].map((match) => Number(match[1])),
    signal: (name) => {
      if (!exitedFlag) process.kill(child.pid!, name);
    },
    exited,
    stop: async (graceMs = 5_000) => {
      if (!exitedFlag) {
        try {
          process.kill(child.pid!, 'SIGTERM');
        } catch {
          // gone
        }
        const timer = setTimeout(() => killGroup(child.pid!), graceMs);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child.pid!);
    },
  };
  running.add(handle);
  if (options.lifetime === 'suite') shared.add(handle);
  return handle;
}

/** Kills the process group: the arbiter and any worker it left. */
function killGroup(pid: number): void {
  // -0 would be this process's own group: never signal anything but a real child's group.
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is empty
  }
}

/** Stops every narwhal started for a single test, or with `'all'` every one still running. */
export async function stopAll(scope: 'test' | 'all' = 'test'): Promise<void> {
  await Promise.all([...running].filter((handle) => scope === 'all' || !shared.has(handle)).map((handle) => handle.stop(2_000)));
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `narwhal ...args` to completion (for --help, --check-config, user errors). */
export async function runNarwhal(args: readonly string[], options: StartOptions = {}): Promise<RunResult> {
  const handle = launchNarwhal(args, options);
  const timer = setTimeout(() => void handle.stop(), options.timeoutMs ?? 15_000);
  const { code } = await handle.exited;
  clearTimeout(timer);
  killGroup(handle.pid);
  return { code, stdout: handle.stdout(), stderr: handle.stderr() };
}
