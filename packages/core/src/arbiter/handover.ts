// Design: Gunicorn's USR2 binary upgrade. The running arbiter starts a new one from the same
// command line and original environment (so new code and a new config are read from disk),
// handing it the listening sockets as inherited descriptors, as Gunicorn hands them in
// GUNICORN_FD. The new arbiter adopts them instead of binding, so both generations' workers
// accept on the same sockets and no connection is refused. NARWHAL_PID names the old arbiter:
// while it lives the new one is "unpromoted" (pidfile `.2`, title `.2`), and it promotes
// itself once the old one has exited (its parent changed). A class whose workers bind with
// SO_REUSEPORT (uws) has no descriptors to hand over: its concrete addresses travel instead,
// and the new generation's workers bind the same ports beside the old ones.

import { spawn, type ChildProcess } from 'node:child_process';
import { parseBindAddress } from '../config/bind-address.js';
import { NarwhalError } from '../errors.js';
import type { BoundListener } from './listeners.js';
import { adoptListener } from './listeners.js';
import type { SelfBoundAddresses } from './self-bound-addresses.js';

export const HANDOVER_ENV = 'NARWHAL_FD';
export const PARENT_ENV = 'NARWHAL_PID';

/** The first descriptor the new arbiter finds a listener at (0-2 are its stdio). */
const FIRST_FD = 3;

interface HandedListener {
  readonly fd: number;
  readonly bind: string;
  readonly kind: BoundListener['kind'];
  readonly url: string;
  readonly socketPath: string | null;
}

interface Handover {
  readonly listeners: readonly HandedListener[];
  readonly selfBound: SelfBoundAddresses | null;
}

export interface SpawnNextArbiterOptions {
  readonly listeners: readonly BoundListener[];
  readonly selfBound: SelfBoundAddresses | null;
  /** The environment narwhal started with. */
  readonly env: NodeJS.ProcessEnv;
  /** The directory narwhal started in. */
  readonly cwd: string;
}

/** Starts the next arbiter, a child of this one, with the listeners at fds 3, 4… */
export function spawnNextArbiter(options: SpawnNextArbiterOptions): ChildProcess {
  const handover: Handover = {
    listeners: options.listeners.map((listener, index) => ({ fd: FIRST_FD + index, bind: listener.address.text, kind: listener.kind, url: listener.url, socketPath: listener.socketPath })),
    selfBound: options.selfBound,
  };
  return spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd: options.cwd,
    env: { ...options.env, [PARENT_ENV]: String(process.pid), [HANDOVER_ENV]: JSON.stringify(handover) },
    stdio: ['ignore', 'inherit', 'inherit', ...options.listeners.map((listener) => listener.fd)],
  });
}

export interface InheritedArbiterState {
  /** The old arbiter's pid. */
  readonly parentPid: number;
  readonly listeners: BoundListener[];
  readonly selfBound: SelfBoundAddresses | null;
}

/** In a new arbiter started by USR2: what the old one handed over (and removed from the environment, so workers do not see it); else null. */
export function takeHandover(env: NodeJS.ProcessEnv): InheritedArbiterState | null {
  const parent = env[PARENT_ENV];
  const text = env[HANDOVER_ENV];
  delete env[PARENT_ENV];
  delete env[HANDOVER_ENV];
  if (parent === undefined || text === undefined) return null;
  let handover: Handover;
  try {
    handover = JSON.parse(text) as Handover;
  } catch {
    throw new NarwhalError('NARWHAL_E_BIND', `${HANDOVER_ENV} is not what a narwhal arbiter hands over; unset it`);
  }
  return {
    parentPid: Number(parent),
    listeners: handover.listeners.map((listener) => adoptListener(listener.fd, parseBindAddress(listener.bind), listener.kind, listener.url, listener.socketPath)),
    selfBound: handover.selfBound,
  };
}
