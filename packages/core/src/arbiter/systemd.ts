// Design: systemd integration without a native addon. Socket activation hands the listeners in
// as fds 3… (LISTEN_FDS, LISTEN_PID), adopted like fd:// binds. Notifications (READY=1,
// RELOADING=1, STOPPING=1, STATUS=, MAINPID=) go to NOTIFY_SOCKET, a unix datagram socket,
// which Node cannot write to; `systemd-notify`, shipped with systemd wherever NOTIFY_SOCKET
// exists, sends them with `--pid` set to the arbiter, so systemd credits them to the main pid
// when the arbiter runs as root (else set NotifyAccess=all in the unit). One child per
// notification is fine: they are rare (start, HUP, USR2, stop). A missing systemd-notify is
// logged once and never fails the server.

import { execFile } from 'node:child_process';
import { fstatSync } from 'node:fs';
import { NarwhalError } from '../errors.js';
import type { Logger } from '../log/create-logger.js';
import { adoptListener, type BoundListener } from './listeners.js';

const SD_LISTEN_FDS_START = 3;

/** The listeners systemd passed, or null when not socket-activated; removes the variables, as sd_listen_fds(unset=1) does. */
export function takeSystemdListeners(env: NodeJS.ProcessEnv): BoundListener[] | null {
  const count = env.LISTEN_FDS;
  const pid = env.LISTEN_PID;
  delete env.LISTEN_FDS;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDNAMES;
  if (count === undefined || pid === undefined || Number(pid) !== process.pid) return null;
  const listeners: BoundListener[] = [];
  for (let fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + Number(count); fd++) {
    let isSocket = false;
    try {
      isSocket = fstatSync(fd).isSocket();
    } catch {
      // reported below
    }
    if (!isSocket) throw new NarwhalError('NARWHAL_E_BIND', `LISTEN_FDS: file descriptor ${fd} from systemd is not an open socket`);
    listeners.push(adoptListener(fd, { kind: 'fd', fd, text: `fd://${fd}` }, 'fd', null, null));
  }
  return listeners;
}

export class SystemdNotifier {
  readonly #socket: string | undefined;
  readonly #log: Logger;
  #broken = false;

  constructor(env: NodeJS.ProcessEnv, log: Logger) {
    this.#socket = env.NOTIFY_SOCKET;
    // Workers and a USR2 successor must not think they are the service's main process.
    delete env.NOTIFY_SOCKET;
    this.#log = log;
  }

  get enabled(): boolean {
    return this.#socket !== undefined && !this.#broken;
  }

  /** The socket, for a USR2 successor, which takes over the notifications. */
  get socket(): string | undefined {
    return this.#socket;
  }

  /** Sends `KEY=VALUE` assignments; resolves once sent (or failed, which is logged once). */
  notify(...assignments: string[]): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    return new Promise((resolve) => {
      execFile('systemd-notify', [`--pid=${process.pid}`, ...assignments], { env: { ...process.env, NOTIFY_SOCKET: this.#socket }, timeout: 5_000 }, (error, _stdout, stderr) => {
        if (error !== null && !this.#broken) {
          this.#broken = (error as NodeJS.ErrnoException).code === 'ENOENT';
          this.#log.warning(`Cannot notify systemd (${assignments.join(' ')}): ${this.#broken ? 'systemd-notify is not installed' : stderr.trim() || error.message}`);
        }
        resolve();
      });
    });
  }
}
