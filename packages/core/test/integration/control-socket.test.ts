// The control socket, end to end: a narwhal started by the real CLI, steered by the real
// `narwhal ctl` and `narwhal status` CLIs. The commands act through the signals' code paths, so
// what is checked is what a signal would do: the worker count, the pids, the log files, the exit.

import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, fixtureDir, get, launchNarwhal, narwhalCli, runNarwhal, startNarwhal, stopAll, type RunResult } from '@narwhal/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { sendControlCommand } from '../../src/cli/control-client.js';
import { ephemeral } from './helpers.js';

afterEach(async () => {
  await stopAll();
});

const HELLO = "export default (req, res) => res.end('hello\\n');\n";
/** Blocks its worker's loop for a while as it loads: a heavy app. */
const SLOW_BOOT = "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);\nexport default (req, res) => res.end('slow\\n');\n";

interface WorkerRow {
  pid: number;
  state: string;
  requests: number | null;
  inFlight: number | null;
  rss: number | null;
  lastBeat: number;
  workerClass: string;
}

function ctl(socket: string, ...args: string[]): Promise<RunResult> {
  return runNarwhal(['ctl', '--control-socket', socket, ...args]);
}

async function ctlJson<T>(socket: string, ...args: string[]): Promise<T> {
  const result = await ctl(socket, '--json', ...args);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as T;
}

/** For polling, the protocol spoken from here (a CLI start per poll would make the file slow); the commands go through the CLI. */
const workersOf = async (socket: string): Promise<WorkerRow[]> => (await sendControlCommand(socket, 'show workers')) as WorkerRow[];

describe('narwhal ctl and narwhal status', () => {
  it('shows workers, stats, listeners and config, scales, kills, reloads and reopens through the signals, and shuts down', async () => {
    const dir = fixtureDir({ 'app.mjs': HELLO });
    const socket = join(dir, 'narwhal.ctl');
    const accessLog = join(dir, 'access.log');
    const narwhal = await startNarwhal([...ephemeral, '-w', '2', '--control-socket', 'narwhal.ctl', '--access-logfile', accessLog, 'app.mjs'], { cwd: dir });
    // Relative to where narwhal started, owner-only.
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    for (let index = 0; index < 3; index++) await get(narwhal.url);

    // The read-only commands, side by side.
    const [status, human, listeners, config, all] = await Promise.all([
      runNarwhal(['status', '--json', '--control-socket', socket]),
      runNarwhal(['status', '--control-socket', socket]),
      ctl(socket, 'show', 'listeners'),
      ctlJson(socket, 'show', 'config'),
      ctlJson<object>(socket, 'show', 'all'),
    ]);
    const { stats, workers } = JSON.parse(status.stdout) as { stats: { pid: number; target: number; phase: string }; workers: WorkerRow[] };
    expect(stats).toMatchObject({ pid: narwhal.pid, target: 2, phase: 'running' });
    expect(workers.map((worker) => [worker.state, worker.workerClass])).toEqual([['ready', 'sync'], ['ready', 'sync']]);
    expect(workers.reduce((sum, worker) => sum + worker.requests!, 0)).toBe(3);
    // Metrics are off: nothing counts requests in flight, and that is said, not guessed.
    expect(workers.every((worker) => worker.inFlight === null && worker.rss! > 1e6 && worker.lastBeat < 5)).toBe(true);
    expect(human.stdout).toMatch(new RegExp(`^narwhal \\(pid:${narwhal.pid}\\) running, up \\d+s: 2 of 2 workers serving\\nPID +AGE# +CLASS +STATE +UP +REQUESTS +IN-FLIGHT +RSS +LAST BEAT\\n`));
    expect(human.stdout.trim().split('\n')).toHaveLength(4);
    expect(listeners.stdout).toBe(`${narwhal.url}\nunix:${socket}\n`);
    expect(config).toMatchObject({ workers: 2, controlSocket: 'narwhal.ctl', controlSocketMode: '0600' });
    expect(Object.keys(all)).toEqual(['stats', 'workers', 'listeners', 'config']);

    // worker add / remove: TTIN and TTOU.
    expect((await ctl(socket, 'worker', 'add', '2')).stdout).toBe('Workers: 4 wanted\n');
    await eventually(async () => ((await workersOf(socket)).filter((worker) => worker.state === 'ready').length === 4 ? true : undefined));
    expect(await ctlJson(socket, 'worker', 'remove', '2')).toEqual({ message: 'Workers: 2 wanted', target: 2 });
    let current = await eventually(async () => {
      const rows = await workersOf(socket);
      return rows.length === 2 ? rows : undefined;
    });

    // worker kill: a TERM to that worker, which the arbiter replaces.
    const victim = current[0]!.pid;
    expect((await ctl(socket, 'worker', 'kill', String(victim))).stdout).toBe(`Sent TERM to worker ${victim}; the arbiter replaces it\n`);
    current = await eventually(async () => {
      const rows = await workersOf(socket);
      return rows.length === 2 && rows.every((worker) => worker.state === 'ready') && !rows.some((worker) => worker.pid === victim) ? rows : undefined;
    });
    const missing = await ctl(socket, 'worker', 'kill', '1');
    expect([missing.code, missing.stderr]).toEqual([2, 'narwhal ctl: no worker with pid 1 [NARWHAL_E_CONTROL_COMMAND]\n']);

    // reload: HUP, a whole new generation.
    const before = new Set(current.map((worker) => worker.pid));
    await ctl(socket, 'reload');
    await eventually(async () => {
      const rows = await workersOf(socket);
      return rows.length === 2 && rows.every((worker) => worker.state === 'ready' && !before.has(worker.pid)) ? true : undefined;
    }, 15_000);

    // reopen: USR1, after a rotation by rename as logrotate does.
    renameSync(accessLog, `${accessLog}.1`);
    expect((await ctl(socket, 'reopen')).stdout).toBe('Log files reopened\n');
    await eventually(async () => {
      await get(`${narwhal.url}/after-rotation`);
      return existsSync(accessLog) && readFileSync(accessLog, 'utf8').includes('/after-rotation') ? true : undefined;
    });
    expect(readFileSync(`${accessLog}.1`, 'utf8')).toContain('GET / HTTP/1.1');

    const unknown = await ctl(socket, 'show', 'everything');
    expect([unknown.code, unknown.stderr]).toEqual([2, 'narwhal ctl: unknown command "show everything"; run `narwhal ctl help` [NARWHAL_E_CONTROL_COMMAND]\n']);

    expect((await ctl(socket, 'shutdown')).stdout).toBe('Shutting down gracefully (TERM)\n');
    expect(await narwhal.exited).toEqual({ code: 0, signal: null });
    expect(narwhal.output()).toMatch(/Control command: shutdown\n.*Handling signal: term/);
    expect(existsSync(socket)).toBe(false);
  }, 40_000);

  it('shutdown quick is INT', async () => {
    const dir = fixtureDir({ 'app.mjs': HELLO });
    const socket = join(dir, 'n.ctl');
    const narwhal = await startNarwhal([...ephemeral, '--control-socket', socket, 'app.mjs'], { cwd: dir });
    expect((await ctl(socket, 'shutdown', 'quick')).stdout).toBe('Shutting down now (INT)\n');
    expect(await narwhal.exited).toEqual({ code: 0, signal: null });
    expect(narwhal.output()).toContain('Handling signal: int');
  });

  it('shutdown with --drain-delay: status shows the workers draining, then the server stops', async () => {
    const dir = fixtureDir({ 'app.mjs': HELLO });
    const socket = join(dir, 'n.ctl');
    const narwhal = await startNarwhal([...ephemeral, '--drain-delay', '2', '--control-socket', socket, 'app.mjs'], { cwd: dir });
    await ctl(socket, 'shutdown');
    const { stats, workers } = JSON.parse((await runNarwhal(['status', '--json', '--control-socket', socket])).stdout) as { stats: { phase: string }; workers: WorkerRow[] };
    expect([stats.phase, workers.map((worker) => worker.state)]).toEqual(['draining', ['draining']]);
    expect(await narwhal.exited).toEqual({ code: 0, signal: null });
  });

  it('answers while the workers boot, and the log counts them up', async () => {
    const dir = fixtureDir({ 'slow.mjs': SLOW_BOOT });
    const socket = join(dir, 'n.ctl');
    const narwhal = launchNarwhal([...ephemeral, '-w', '2', '--control-socket', socket, 'slow.mjs'], { cwd: dir });
    await narwhal.waitForLog(/Booting worker with pid/);
    const { workers } = JSON.parse((await runNarwhal(['status', '--json', '--control-socket', socket])).stdout) as { workers: WorkerRow[] };
    expect(workers.map((worker) => worker.state)).toEqual(['booting']);
    // Whether or not its loop is free to answer yet, its memory is known (the arbiter reads /proc).
    expect(workers[0]!.rss).toBeGreaterThan(1e6);
    await narwhal.waitForLog(/All 2 workers ready in \d+ ms/, 15_000);
    expect(narwhal.output()).toMatch(/Worker \(pid:\d+\) ready \(1\/2\)[^]*Worker \(pid:\d+\) ready \(2\/2\)/);
  }, 20_000);

  it('refuses a client of another user', async () => {
    const dir = fixtureDir({ 'app.mjs': HELLO });
    chmodSync(dir, 0o755);
    const socket = join(dir, 'n.ctl');
    await startNarwhal([...ephemeral, '--control-socket', socket, 'app.mjs'], { cwd: dir });
    const child = spawn(process.execPath, [narwhalCli(), 'ctl', '--control-socket', socket, 'shutdown'], { cwd: dir, uid: 65534, gid: 65534, env: { PATH: process.env.PATH } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect([code, stderr]).toEqual([1, `narwhal ctl: permission denied for ${socket} (the control socket admits its owner only; run as the user narwhal runs as) [NARWHAL_E_CONTROL_DENIED]\n`]);
    expect((await ctlJson<{ phase: string }>(socket, 'show', 'stats')).phase).toBe('running');
  });

  it('serves no socket with --control-socket-disable (or --no-control-socket), and says so in one line', async () => {
    const dir = fixtureDir({ 'app.mjs': HELLO });
    const socket = join(dir, 'n.ctl');
    const servers = await Promise.all(['--control-socket-disable', '--no-control-socket'].map((flag) => startNarwhal([...ephemeral, '--control-socket', socket, flag, 'app.mjs'], { cwd: dir })));
    expect(existsSync(socket)).toBe(false);
    for (const narwhal of servers) expect(narwhal.output()).not.toContain('Control socket');
    const result = await ctl(socket, 'show', 'workers');
    expect([result.code, result.stdout, result.stderr]).toEqual([1, '', `narwhal ctl: no narwhal at ${socket} (no socket there) [NARWHAL_E_CONTROL_UNREACHABLE]\n`]);
  });

  it('runs without a socket when the default place cannot hold one, and refuses to start when an explicit path cannot', async () => {
    const dir = fixtureDir({ 'app.mjs': HELLO });
    // A home that is a file: nothing can be created under it, as under a read-only one.
    const home = join(dir, 'app.mjs');
    const narwhal = await startNarwhal([...ephemeral, 'app.mjs'], { cwd: dir, env: { XDG_RUNTIME_DIR: '', HOME: home } });
    expect(narwhal.output()).toContain(`Control socket ${home}/.narwhal/narwhal.ctl cannot be created (ENOTDIR`);
    expect(await get(narwhal.url)).toBe('hello\n');
    const explicit = await runNarwhal([...ephemeral, '--control-socket', `${home}/n.ctl`, 'app.mjs'], { cwd: dir });
    expect(explicit.code).toBe(1);
    expect(explicit.stderr.trim().split('\n').at(-1)).toMatch(/^narwhal: --control-socket \S+\/app\.mjs\/n\.ctl: E[A-Z]+: .+ \[NARWHAL_E_CONTROL_SOCKET\]$/);
  });

  it('replaces a stale socket, and refuses a path a running narwhal holds', async () => {
    const dir = fixtureDir({ 'app.mjs': HELLO });
    const socket = join(dir, 'n.ctl');
    // A process that dies without unlinking its socket leaves the file, as a killed arbiter does.
    const leftover = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    await new Promise((resolve) => leftover.once('exit', resolve));
    expect(statSync(socket).isSocket()).toBe(true);
    const stale = await ctl(socket, 'show', 'stats');
    expect(stale.stderr).toContain('(nothing listens: a narwhal that stopped left the file) [NARWHAL_E_CONTROL_UNREACHABLE]');

    const narwhal = await startNarwhal([...ephemeral, '--control-socket', socket, 'app.mjs'], { cwd: dir });
    expect(narwhal.output()).toContain(`Replaced the stale control socket ${socket}`);
    expect((await ctlJson<{ pid: number }>(socket, 'show', 'stats')).pid).toBe(narwhal.pid);

    const second = await runNarwhal([...ephemeral, '--control-socket', socket, 'app.mjs'], { cwd: dir });
    expect([second.code, second.stderr.trim().split('\n').at(-1)]).toEqual([1, `narwhal: --control-socket ${socket}: another running narwhal serves there; give this one its own path [NARWHAL_E_CONTROL_SOCKET]`]);
    // The first one's socket is untouched.
    expect((await ctlJson<{ pid: number }>(socket, 'show', 'stats')).pid).toBe(narwhal.pid);
  });

  it('after USR2 the new arbiter serves at PATH.2, and at PATH once the old one is gone', async () => {
    const dir = fixtureDir({ 'app.mjs': HELLO });
    const socket = join(dir, 'n.ctl');
    const narwhal = await startNarwhal([...ephemeral, '--control-socket', socket, 'app.mjs'], { cwd: dir });
    narwhal.signal('SIGUSR2');
    const successor = Number((await narwhal.waitForLog(/Started a new arbiter \(pid:(\d+)\)/))[1]);
    await narwhal.waitForMoreLogs(/Worker \(pid:\d+\) ready/, 1, 15_000);
    expect((await ctlJson<{ pid: number }>(socket, 'show', 'stats')).pid).toBe(narwhal.pid);
    expect((await ctlJson<{ pid: number }>(`${socket}.2`, 'show', 'stats')).pid).toBe(successor);
    narwhal.signal('SIGTERM');
    await narwhal.exited;
    const promoted = await eventually(async () => (existsSync(`${socket}.2`) ? undefined : ctlJson<{ pid: number }>(socket, 'show', 'stats')));
    expect(promoted.pid).toBe(successor);
    process.kill(successor, 'SIGTERM');
    await eventually(() => (existsSync(socket) ? undefined : true));
  }, 25_000);
});
