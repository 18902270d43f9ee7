// Design: Node cannot fork a running process, so a worker is a fresh `node` running core's
// worker entry. Its descriptors:
//   0  the first listener (see worker/inherited-listeners.ts for why it must be fd 0)
//   1  stdout, 2 stderr (inherited: the app's console output goes where the arbiter's goes;
//      with --capture-output, the error log file, opened here for appending)
//   3  the IPC channel
//   4  the heartbeat file
//   5… the other listeners
// The boot description travels in the environment; hooks (functions) do not serialise and are
// re-read by the worker from the config file when it defines worker-side hooks.
// Workers also get a glibc malloc trim threshold (unless GLIBC_TUNABLES is set already): by
// default glibc hands freed heap memory back to the kernel as soon as 128 KiB are free at its top,
// and a server that allocates a 64 KiB buffer per read of a request body (node:http's socket
// reads, uws's body chunks) then pays a page fault per 4 KiB to get the same memory back: 55 µs
// of a 64 KiB upload's 88 µs on -k uws, measured. Keeping up to 32 MiB free ends that, at the cost
// of holding on to that much after a burst. musl and other libcs ignore the variable.

import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, fchownSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlainSettings } from '../config/types.js';
import type { BoardSeat } from '../worker/connection-board.js';
import { createHeartbeatFile } from '../worker/heartbeat.js';
import type { WorkerClass } from '../worker/contract.js';
import { BOOT_ENV, type WorkerBoot } from '../worker/protocol.js';
import type { ResolvedWorkerClass } from '../worker/resolve-worker-class.js';
import { inheritedView, type BoundListener } from './listeners.js';
import type { WorkerIdentity } from './privileges.js';

const HEARTBEAT_FD = 4;
const FIRST_EXTRA_LISTENER_FD = 5;

/** process.title can only be as long as the original argv (reference/feasibility.md §7). */
const TITLE_ROOM = `--narwhal-title=${' '.repeat(96)}`;

const MALLOC_TUNABLES = `glibc.malloc.trim_threshold=${32 * 1024 * 1024}`;

const WORKER_MAIN = fileURLToPath(new URL('./worker-main.js', import.meta.url));

export interface SpawnOptions {
  readonly age: number;
  readonly settings: PlainSettings;
  readonly listeners: readonly BoundListener[];
  readonly workerClass: ResolvedWorkerClass;
  readonly hooksFrom: string | null;
  readonly hookNames: WorkerBoot['hookNames'];
  readonly checkOnly?: boolean;
  /** `--user`/`--group`: who the worker becomes before loading the app. */
  readonly identity: WorkerIdentity | null;
  /** The connection board's descriptor and this worker's slot on it; null for none. */
  readonly board: BoardSeat | null;
}

export interface SpawnedWorker {
  readonly child: ChildProcess;
  /** The arbiter's descriptor of the worker's heartbeat file. */
  readonly heartbeatFd: number;
}

/** The operator's young-generation size, in NODE_OPTIONS or node's flags, wins over the class's. */
const SEMI_SPACE_FLAG = /--max[-_]semi[-_]space[-_]size/;

/** The arbiter's node flags but the debugger's (every worker would fight for its port), and the class's young generation. */
function workerExecArgv(workerClass: WorkerClass): string[] {
  const flags = process.execArgv.filter((flag) => !/^--inspect|^--debug/.test(flag));
  const semiSpace = workerClass.semiSpaceMiB;
  if (semiSpace === undefined || SEMI_SPACE_FLAG.test(`${flags.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) return flags;
  return [...flags, `--max-semi-space-size=${semiSpace}`];
}

export function spawnWorker(options: SpawnOptions): SpawnedWorker {
  const heartbeatFd = createHeartbeatFile(options.settings.workerTmpDir);
  // The worker stamps the file's times, which only its owner may set.
  if (options.identity !== null) fchownSync(heartbeatFd, options.identity.uid, options.identity.gid);
  const [first, ...rest] = options.listeners;
  const output = capturedOutput(options.settings);
  const stdio: StdioOptions = [first?.fd ?? 'ignore', output, output, 'ipc', heartbeatFd, ...rest.map((listener) => listener.fd)];
  const boot: WorkerBoot = {
    age: options.age,
    arbiterPid: process.pid,
    settings: options.settings,
    hooksFrom: options.hooksFrom,
    hookNames: options.hookNames,
    workerClass: options.workerClass.location,
    listeners: inheritedView(options.listeners, FIRST_EXTRA_LISTENER_FD),
    heartbeatFd: HEARTBEAT_FD,
    // After the listeners: a child's descriptor is its index in stdio.
    board: options.board === null ? null : { fd: stdio.length, slot: options.board.slot },
    checkOnly: options.checkOnly ?? false,
    identity: options.identity,
  };
  if (options.board !== null) stdio.push(options.board.fd);
  try {
    const child = spawn(process.execPath, [...workerExecArgv(options.workerClass.workerClass), WORKER_MAIN, TITLE_ROOM], {
      stdio,
      cwd: options.settings.chdir,
      env: { GLIBC_TUNABLES: MALLOC_TUNABLES, ...process.env, [BOOT_ENV]: JSON.stringify(boot) },
    });
    return { child, heartbeatFd };
  } finally {
    // The child has its own copy.
    if (typeof output === 'number' && output !== 2) closeSync(output);
  }
}

/** The worker's stdout and stderr: inherited, or with --capture-output the error log (the arbiter's stderr for `-`). */
function capturedOutput(settings: PlainSettings): 'inherit' | number {
  if (!settings.captureOutput) return 'inherit';
  return settings.errorlog === '-' ? 2 : openSync(resolve(settings.chdir, settings.errorlog), 'a');
}
