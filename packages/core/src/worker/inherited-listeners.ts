// Design: accept on the sockets the arbiter bound, with a switch to stop accepting so that
// new connections wait in the kernel queue for a sibling worker (sync: one request at a time;
// async and gthread: worker_connections) instead of being accepted and reset.
// Node has no "pause accepting": closing a listening handle closes its descriptor, except for
// fds 0-2, which libuv never closes. So the arbiter hands the first listener in as fd 0, and
// pausing it is close() + listen({ fd: 0 }) again (~11 µs, reference/feasibility.md §2).
// Further listeners sit at fds above 2 and cannot be closed and reopened: while paused, their
// connections are accepted but held, unserved, until resume. The strict guarantee therefore
// holds on the first bind; with several binds the others are best effort (docs say so).
// When accept() fails (EMFILE: the process is out of descriptors), libuv has already shed the
// queued connections; accepting pauses and backs off (doubling up to a second) instead of
// retrying in a loop, and resumes by itself once accepts succeed again.

import { Server, type Socket } from 'node:net';
import type { InheritedListener } from './contract.js';

/** Only descriptors 0-2 survive a close(). */
const REOPENABLE_MAX_FD = 2;
const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1000;

export interface InheritedListenersOptions {
  readonly backlog: number;
  /** Called with the error each time accepting fails and backs off. */
  readonly onAcceptError?: (error: NodeJS.ErrnoException, backoffMs: number) => void;
}

export class InheritedListeners {
  readonly #listeners: readonly InheritedListener[];
  readonly #options: InheritedListenersOptions;
  readonly #onConnection: (socket: Socket) => void;
  /**
   * One server per listener for the worker's life: pausing closes its handle and resuming listens
   * again on the same object, since sync does both for every request.
   */
  readonly #servers: readonly Server[];
  readonly #held: Socket[] = [];
  #paused = false;
  #closed = false;
  #backoffMs = 0;
  #backoffTimer: NodeJS.Timeout | undefined;

  constructor(listeners: readonly InheritedListener[], options: InheritedListenersOptions, onConnection: (socket: Socket) => void) {
    this.#listeners = listeners;
    this.#options = options;
    this.#onConnection = onConnection;
    this.#servers = listeners.map(() => new Server({ noDelay: true }, this.#accepted));
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Starts accepting on every listener; resolves once all listen. */
  async start(): Promise<void> {
    await Promise.all(this.#servers.map((server, index) => this.#firstListen(server, index)));
  }

  /** Stop taking connections; they wait for another worker. */
  pause(): void {
    if (this.#paused || this.#closed) return;
    this.#paused = true;
    this.#closeReopenable();
  }

  /** Take connections again. */
  resume(): void {
    if (!this.#paused || this.#closed) return;
    this.#paused = false;
    if (this.#backoffTimer !== undefined) return;
    this.#reopen();
    while (this.#held.length > 0 && !this.#paused) {
      const socket = this.#held.shift()!;
      if (!socket.destroyed) this.#onConnection(socket);
    }
  }

  /** Stop accepting for good (graceful stop); connections held while paused are closed. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#backoffTimer);
    for (const server of this.#servers) if (server.listening) server.close();
    for (const socket of this.#held.splice(0)) socket.destroy();
  }

  #accepted = (socket: Socket): void => {
    this.#backoffMs = 0;
    if (this.#paused) this.#held.push(socket);
    else this.#onConnection(socket);
  };

  #firstListen(server: Server, index: number): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ fd: this.#listeners[index]!.fd, backlog: this.#options.backlog }, () => {
        server.off('error', reject);
        server.on('error', this.#onAcceptError);
        resolve();
      });
    });
  }

  #onAcceptError = (error: NodeJS.ErrnoException): void => {
    if (this.#closed || this.#backoffTimer !== undefined) return;
    this.#backoffMs = Math.min(MAX_BACKOFF_MS, this.#backoffMs === 0 ? FIRST_BACKOFF_MS : this.#backoffMs * 2);
    this.#options.onAcceptError?.(error, this.#backoffMs);
    this.#closeReopenable();
    this.#backoffTimer = setTimeout(() => {
      this.#backoffTimer = undefined;
      if (!this.#paused && !this.#closed) this.#reopen();
    }, this.#backoffMs);
  };

  #closeReopenable(): void {
    this.#listeners.forEach((listener, index) => {
      const server = this.#servers[index]!;
      if (listener.fd <= REOPENABLE_MAX_FD && server.listening) server.close();
    });
  }

  /** A failure to listen again reaches #onAcceptError, as 'error' on the server, and backs off. */
  #reopen(): void {
    this.#listeners.forEach((listener, index) => {
      const server = this.#servers[index]!;
      if (listener.fd <= REOPENABLE_MAX_FD && !server.listening) server.listen({ fd: listener.fd, backlog: this.#options.backlog });
    });
  }
}
